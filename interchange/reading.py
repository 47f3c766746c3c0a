"""Bytes → document: a unit-year JSON file or a bundle (.zip of the JSON and its evidence files).

Everything here refuses with a `DocumentError` before anything is written: too big, not UTF-8 (a BOM is
accepted), not JSON, nested beyond reason, an integer beyond Python's 4,300 digits, a bundle with names
or sizes out of bounds or a file whose SHA-256 is not its name.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from interchange.messages import DocumentError

BUNDLE_JSON = "unit-year.json"
BUNDLE_FILE = re.compile(r"^files/([0-9a-f]{64})$")
ZIP_MAGIC = b"PK"  # a local file header (PK 3 4) or, for an empty archive, the end record (PK 5 6)


@dataclass
class Source:
    """What one upload or file holds: the document and, from a bundle, the evidence files by SHA-256."""

    document: object
    files: dict[str, bytes] = field(default_factory=dict)
    name: str = ""


def parse(data: bytes):
    """Bytes of a JSON file → document."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise DocumentError("", f"ไฟล์ใหญ่เกิน {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB", "file over the size limit")
    try:
        text = data.decode("utf-8-sig")  # Notepad saves UTF-8 with a byte order mark
    except UnicodeDecodeError as exc:
        raise DocumentError("", "ไฟล์ต้องเข้ารหัส UTF-8", "file is not UTF-8") from exc
    try:
        return json.loads(text, parse_float=Decimal)
    except RecursionError as exc:
        raise DocumentError("", "โครงสร้าง JSON ซ้อนกันลึกเกินไป", "JSON nested too deeply") from exc
    except json.JSONDecodeError as exc:
        raise DocumentError(f"(line {exc.lineno})", "ไม่ใช่ JSON ที่ถูกต้อง", f"invalid JSON: {exc.msg}") from exc
    except ValueError as exc:  # int() refuses more than sys.get_int_max_str_digits() (4,300) digits
        raise DocumentError("", "มีตัวเลขยาวเกินกว่าที่รับได้", "a number in the file is too long") from exc


def is_bundle(data: bytes) -> bool:
    return data[:2] == ZIP_MAGIC


def read(data: bytes, name: str = "") -> Source:
    """A JSON file or a bundle, by its first bytes."""
    if is_bundle(data):
        return read_bundle(data, name)
    return Source(parse(data), name=name)


def _bundle_error(english: str, thai: str) -> DocumentError:
    return DocumentError("(bundle)", thai, english)


def _members(archive: zipfile.ZipFile) -> tuple[zipfile.ZipInfo, dict[str, zipfile.ZipInfo]]:
    """The bundle's JSON and files, its names and declared sizes checked before anything is read."""
    document, files = None, {}
    for info in archive.infolist():
        match = BUNDLE_FILE.match(info.filename)
        if info.filename == BUNDLE_JSON:
            document = info
        elif match and match.group(1) not in files:
            files[match.group(1)] = info
        else:
            raise _bundle_error(f"unexpected name in the bundle: {info.filename[:100]}",
                                f"ชุดข้อมูลมีชื่อที่ไม่รู้จัก: {info.filename[:100]}")
        limit = settings.IMPORT_MAX_BYTES if info is document else settings.EVIDENCE_MAX_BYTES
        if info.file_size > limit:
            raise _bundle_error(f"{info.filename} is over the size limit", f"{info.filename} ใหญ่เกินกำหนด")
    if document is None:
        raise _bundle_error(f"the bundle has no {BUNDLE_JSON}", f"ชุดข้อมูลไม่มี {BUNDLE_JSON}")
    return document, files


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(limit + 1)  # a size field that lies is caught here, not by memory
    if len(data) > limit:
        raise _bundle_error(f"{info.filename} is over the size limit", f"{info.filename} ใหญ่เกินกำหนด")
    return data


def read_bundle(data: bytes, name: str = "") -> Source:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        document_info, infos = _members(archive)
        document = parse(_read_member(archive, document_info, settings.IMPORT_MAX_BYTES))
        files = {}
        for sha, info in infos.items():
            content = _read_member(archive, info, settings.EVIDENCE_MAX_BYTES)
            if hashlib.sha256(content).hexdigest() != sha:
                raise _bundle_error(f"{info.filename}: the content's SHA-256 is not its name",
                                    f"{info.filename}: SHA-256 ของเนื้อไฟล์ไม่ตรงกับชื่อ")
            files[sha] = content
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise _bundle_error(f"not a readable .zip bundle ({exc})", "ไม่ใช่ไฟล์ชุดข้อมูล .zip ที่อ่านได้") from exc
    return Source(document, files, name)
