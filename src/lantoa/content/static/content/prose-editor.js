// The desk's rich text editor: django-prose-editor's bundle (ProseMirror / Tiptap), served by
// Lantoa, imported by a relative address. The package's own start-up relies on an inline
// import map, which the site's Content-Security-Policy (script-src 'self') refuses; this module
// needs none. The extensions match what the server keeps (content/html.py): paragraphs,
// headings 2-4, bold, italic, underline, strike, links, lists, quotes, tables, rules, line
// breaks, and figures whose images come from the library.
import * as E from "../django_prose_editor/editor.js";

const SELECTOR = "textarea[data-lantoa-prose]";

function extensions() {
  return [
    E.Document,
    E.Dropcursor,
    E.Gapcursor,
    E.Paragraph,
    E.HardBreak,
    E.Text,
    E.History,
    E.Menu,
    E.HTML,
    E.NoSpellCheck,
    E.Bold,
    E.Italic,
    E.Underline,
    E.Strike,
    E.Heading.configure({ levels: [2, 3, 4] }),
    E.BulletList,
    E.OrderedList,
    E.ListItem,
    E.Blockquote,
    E.HorizontalRule,
    E.Link.configure({ protocols: ["http", "https", "mailto"], enableTarget: false }),
    E.Table,
    E.TableRow,
    E.TableHeader,
    E.TableCell,
    E.Figure,
    E.Caption,
    E.Image,
  ].filter(Boolean);
}

function create(textarea) {
  if (textarea.closest(".prose-editor") || textarea.lantoaEditor) return textarea.lantoaEditor;
  const editor = E.createTextareaEditor(textarea, extensions());
  textarea.lantoaEditor = editor;
  textarea.dispatchEvent(
    new CustomEvent("prose-editor:ready", { detail: { editor, textarea }, bubbles: true }),
  );
  return editor;
}

E.initializeEditors(create, SELECTOR);
