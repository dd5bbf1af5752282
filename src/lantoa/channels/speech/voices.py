"""Speaking a bulletin: a voice turns each paragraph into audio, ffmpeg joins them, normalises
the loudness (EBU R128, ``loudnorm`` to -16 LUFS) and encodes MP3 or OGG by the file's
extension.

Voices (:data:`VOICES`):

- ``espeak`` (the default): Debian's ``espeak-ng`` Vietnamese voice, offline. The text goes in
  on standard input, the WAV comes out on standard output; a timeout bounds every run.
- ``http``: a natural voice of an HTTP provider, ``LANTOA_TTS_URL`` (POST ``{"text", "voice"}``
  as JSON, ``Authorization: Bearer LANTOA_TTS_KEY``; the answer's body is the audio, in any
  format ffmpeg reads). The key is never logged nor put in a message.

Every failure is a :class:`SpeechError` (a ValidationError) with a message for the person who
asked; nothing is written to the output until the whole file is made (temp file, rename).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .normalise import paragraphs

logger = logging.getLogger(__name__)

MAX_SCRIPT = 60_000  # characters of a script (a bulletin is minutes, not hours)
MAX_AUDIO = 50 * 1024 * 1024  # bytes of one paragraph's audio from a provider
ESPEAK_TIMEOUT = 60
HTTP_TIMEOUT = 30
FFMPEG_TIMEOUT = 600
LOUDNESS = "loudnorm=I=-16:TP=-1.5:LRA=11"
FORMATS = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "96k", "-f", "mp3"],
    ".ogg": ["-c:a", "libvorbis", "-q:a", "4", "-f", "ogg"],
}
DEFAULT_VOICE = "espeak"


class SpeechError(ValidationError):
    pass


def audio_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SpeechError(
            _("The audio is written as .mp3 or .ogg: “%(name)s” has neither extension.")
            % {"name": Path(path).name}
        )
    return suffix


class EspeakVoice:
    name = "espeak"

    def __init__(self, *, language: str = "vi", rate: int | None = None):
        self.language = language
        self.rate = int(rate or os.environ.get("LANTOA_ESPEAK_RATE") or 150)

    def speak(self, text: str, folder: Path, index: int) -> Path:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise SpeechError(_("The offline voice (espeak-ng) is not installed on this server."))
        target = folder / f"{index:05d}.wav"
        try:
            done = subprocess.run(  # noqa: S603 - a fixed tool, the text on its stdin
                [binary, "-v", self.language, "-s", str(self.rate), "--stdin", "--stdout"],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=ESPEAK_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SpeechError(_("The offline voice took too long to read a paragraph.")) from None
        if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
            logger.warning("espeak-ng failed: %s", done.stderr[:500])
            raise SpeechError(_("The offline voice could not read a paragraph."))
        target.write_bytes(done.stdout)
        return target


class HttpVoice:
    """A provider's natural voice. ``url`` and ``key`` default to LANTOA_TTS_URL/LANTOA_TTS_KEY."""

    name = "http"

    def __init__(self, *, url: str | None = None, key: str | None = None, voice: str = ""):
        self.url = url or os.environ.get("LANTOA_TTS_URL", "")
        self._key = key if key is not None else os.environ.get("LANTOA_TTS_KEY", "")
        self.voice = voice or os.environ.get("LANTOA_TTS_VOICE", "")
        if not self.url:
            raise SpeechError(
                _("No natural voice is configured: set LANTOA_TTS_URL (and LANTOA_TTS_KEY).")
            )

    def __repr__(self):
        return f"HttpVoice(url={self.url!r})"  # never the key

    def speak(self, text: str, folder: Path, index: int) -> Path:
        headers = {"Accept": "audio/*"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        target = folder / f"{index:05d}.audio"
        try:
            with httpx.stream(
                "POST",
                self.url,
                json={"text": text, "voice": self.voice, "language": "vi"},
                headers=headers,
                timeout=HTTP_TIMEOUT,
            ) as response:
                if response.status_code != 200:
                    raise SpeechError(
                        _("The voice service answered %(status)d: the bulletin was not made.")
                        % {"status": response.status_code}
                    )
                size = 0
                with target.open("wb") as out:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > MAX_AUDIO:
                            raise SpeechError(_("The voice service sent too much audio."))
                        out.write(chunk)
        except httpx.TimeoutException:
            raise SpeechError(
                _("The voice service did not answer in time: the bulletin was not made.")
            ) from None
        except httpx.HTTPError as error:
            logger.warning("voice service unreachable: %s", type(error).__name__)
            raise SpeechError(
                _("The voice service could not be reached: the bulletin was not made.")
            ) from None
        if size == 0:
            raise SpeechError(_("The voice service sent no audio."))
        return target


VOICES = {"espeak": EspeakVoice, "http": HttpVoice}


def voice_get(name: str | None = None):
    name = (name or DEFAULT_VOICE).strip().lower()
    if name not in VOICES:
        raise SpeechError(
            _("Unknown voice “%(name)s”: choose one of %(names)s.")
            % {"name": name[:40], "names": ", ".join(sorted(VOICES))}
        )
    return VOICES[name]()


def _ffmpeg(args: list[str]) -> None:
    binary = shutil.which("ffmpeg")
    if binary is None:
        raise SpeechError(_("ffmpeg is not installed on this server."))
    try:
        done = subprocess.run(  # noqa: S603 - a fixed tool on our own temporary files
            [binary, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args],
            capture_output=True,
            timeout=FFMPEG_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SpeechError(_("Encoding the audio took too long.")) from None
    if done.returncode != 0:
        logger.warning("ffmpeg failed: %s", done.stderr[-1000:])
        raise SpeechError(_("The audio could not be encoded."))


def synthesise(script: str, out: str | Path, *, voice: str | None = None) -> Path:
    """Speak ``script`` into ``out`` (.mp3 or .ogg), paragraph by paragraph, joined and loudness
    normalised. ``out`` appears whole or not at all."""
    out = Path(out)
    suffix = audio_format(out)
    if len(script or "") > MAX_SCRIPT:
        raise SpeechError(
            _("The script is too long: at most %(n)d characters.") % {"n": MAX_SCRIPT}
        )
    pieces = paragraphs(script or "")
    if not pieces:
        raise SpeechError(_("The script has nothing to read."))
    speaker = voice_get(voice)
    with tempfile.TemporaryDirectory(prefix="lantoa-speech-") as folder:
        folder = Path(folder)
        parts = [speaker.speak(text, folder, index) for index, text in enumerate(pieces)]
        listing = folder / "parts.txt"
        listing.write_text("".join(f"file '{part.name}'\n" for part in parts))
        made = folder / f"bulletin{suffix}"
        _ffmpeg(
            [
                "-f", "concat", "-safe", "0", "-i", str(listing),
                "-af", LOUDNESS, "-ac", "1", "-ar", "44100",
                *FORMATS[suffix], str(made),
            ]
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".partial-", suffix=suffix)
        try:
            with os.fdopen(handle, "wb") as target, made.open("rb") as source:
                shutil.copyfileobj(source, target)
            os.replace(temporary, out)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return out
