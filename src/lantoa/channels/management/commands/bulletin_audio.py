"""``lantoa bulletin-audio --out FILE [--voice NAME]``: read a bulletin's script on standard
input and write it spoken (MP3 or OGG by FILE's extension, loudness normalised). The file
appears whole or not at all; a failure exits non-zero with the reason."""

import sys

from django.core.management.base import BaseCommand, CommandError

from lantoa.channels.speech.voices import MAX_SCRIPT, VOICES, SpeechError, audio_format, synthesise


class Command(BaseCommand):
    help = "Speak the script read on standard input into FILE (.mp3 or .ogg)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the audio file to write (.mp3 or .ogg)")
        parser.add_argument(
            "--voice", default=None, choices=sorted(VOICES), help="the voice (default: espeak)"
        )

    def handle(self, *args, out, voice=None, **options):
        try:
            audio_format(out)
            raw = sys.stdin.buffer.read(MAX_SCRIPT * 4 + 1)
            script = raw.decode("utf-8", errors="replace")
            synthesise(script, out, voice=voice)
        except SpeechError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(out)
