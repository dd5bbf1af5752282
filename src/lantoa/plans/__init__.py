"""Plans (Kế hoạch): targets, tasks, assignments, legal bases and report schedules, and the
importer that reads them from .txt, .docx and .pdf documents."""
