"""LibreOffice headless for the tests: recalculate a workbook, render it to PDF, count its pages.

The compliance workbook stores every figure as a formula with its cached value. openpyxl reads only the
cached values, so a wrong cached value would pass unnoticed; these helpers let a test have LibreOffice
recalculate every formula and read the results back, and render a sheet to PDF to check it prints.

LibreOffice does not recalculate an xlsx file on load by default: it keeps the cached values it finds
(checked with LibreOffice 7.4: a cell ``=A1*3`` with A1=2 stored with the value 99 is saved back as 99).
Each call therefore starts LibreOffice with its own fresh user profile whose
``registrymodifications.xcu`` sets ``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode``
(and ``ODFRecalcMode``) to 0, "always recalculate". A private profile per call also lets calls run in
parallel: two LibreOffice processes sharing a profile would hand their work to one another.

``.ci/run`` installs Debian's ``libreoffice-calc-nogui``; tests that need it use ``needs_libreoffice``
and skip with the reason where it is missing.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pypdf
import pytest

#: Seconds one LibreOffice conversion may take before it is killed (one takes ~1.5 s here).
TIMEOUT_S = 120.0

#: The user profile settings: recalculate every formula when an xlsx (or ods) file is loaded.
_RECALC_ALWAYS_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """LibreOffice failed, timed out or wrote no output file."""


@functools.lru_cache(maxsize=1)
def soffice() -> str | None:
    """The path of a usable LibreOffice ``soffice``, else None.

    Returns
    -------
    str or None
        The executable found on ``PATH`` (``soffice``, else ``libreoffice``) that answers
        ``--version``; None when there is none or it does not run.
    """
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path is None:
            continue
        try:
            done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0 and "LibreOffice" in done.stdout:
            return path
    return None


#: Marks a test that needs LibreOffice: it skips with the reason where there is none.
needs_libreoffice = pytest.mark.skipif(
    soffice() is None, reason="LibreOffice (soffice) is not installed: .ci/run installs it"
)


def _convert(source: Path, convert_to: str, timeout_s: float) -> Path:
    """Convert ``source`` with a fresh LibreOffice profile that recalculates on load.

    Parameters
    ----------
    source : Path
        The file to open.
    convert_to : str
        The ``--convert-to`` argument, e.g. ``"xlsx"`` or ``"pdf"``.
    timeout_s : float
        Seconds before LibreOffice is killed.

    Returns
    -------
    Path
        The converted file, in a temporary directory the caller must move it out of.
    """
    exe = soffice()
    if exe is None:
        raise LibreOfficeError("LibreOffice (soffice) is not installed: .ci/run installs it")
    work = Path(tempfile.mkdtemp(prefix="bimcarbon-soffice-"))
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS_XCU, encoding="utf-8")
    out = work / "out"
    command = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        convert_to,
        "--outdir",
        str(out),
        str(source),
    ]
    # A session of its own, so a timeout kills soffice.bin too and not only the launcher script.
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        shutil.rmtree(work, ignore_errors=True)
        raise LibreOfficeError(
            f"LibreOffice took more than {timeout_s:g} s to convert {source.name} to {convert_to}; killed"
        ) from None
    made = sorted(out.glob("*")) if out.is_dir() else []
    if process.returncode != 0 or len(made) != 1:
        shutil.rmtree(work, ignore_errors=True)
        raise LibreOfficeError(
            f"LibreOffice did not convert {source.name} to {convert_to} (exit {process.returncode}):"
            f" {(stdout + stderr).strip()}"
        )
    return made[0]


def _deliver(made: Path, target: Path) -> Path:
    """Move ``made`` to ``target`` and remove its temporary directory (``made``'s grandparent)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(made), str(target))
    shutil.rmtree(made.parent.parent, ignore_errors=True)
    return target


def recalculated(xlsx: Path, out_dir: Path, timeout_s: float = TIMEOUT_S) -> Path:
    """A copy of a workbook with every formula recalculated by LibreOffice, saved as xlsx.

    Parameters
    ----------
    xlsx : Path
        The workbook; it is not changed.
    out_dir : Path
        Where the copy is written, as ``<stem>.recalculated.xlsx`` (created if missing).
    timeout_s : float
        Seconds before LibreOffice is killed and ``LibreOfficeError`` raised.

    Returns
    -------
    Path
        The recalculated copy: read it with ``openpyxl.load_workbook(path, data_only=True)`` to get
        the values LibreOffice computed instead of the cached values the writer stored.

    Raises
    ------
    LibreOfficeError
        When LibreOffice is missing, fails, writes nothing or times out.
    """
    xlsx = Path(xlsx)
    made = _convert(xlsx, "xlsx", timeout_s)
    return _deliver(made, Path(out_dir) / f"{xlsx.stem}.recalculated.xlsx")


def _only_sheet_visible(workbook_xml: str, sheet: str) -> str:
    """``xl/workbook.xml`` with every sheet but ``sheet`` hidden and ``sheet`` the active one."""
    sheets = list(re.finditer(r"<sheet\b[^>]*>", workbook_xml))
    names = []
    for match in sheets:
        name = re.search(r'\bname="([^"]*)"', match.group(0))
        names.append(html.unescape(name.group(1)) if name else None)
    if sheet not in names:
        raise ValueError(f"no sheet {sheet!r} in the workbook (it has {', '.join(map(str, names))})")
    parts, last = [], 0
    for match, name in zip(sheets, names, strict=True):
        element = re.sub(r'\s+state="[^"]*"', "", match.group(0))
        if name != sheet:
            element = re.sub(r"^<sheet\b", '<sheet state="hidden"', element)
        parts += [workbook_xml[last : match.start()], element]
        last = match.end()
    parts.append(workbook_xml[last:])
    text = "".join(parts)
    index = names.index(sheet)
    # LibreOffice prints a hidden sheet that has a print area: drop the other sheets' print areas
    text = re.sub(
        r'<definedName name="_xlnm\.Print_Area" localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
        lambda m: m.group(0) if int(m.group(1)) == index else "",
        text,
    )
    view = re.search(r"<workbookView\b[^>]*>", text)
    if view:
        element = re.sub(r'\s+(activeTab|firstSheet)="[^"]*"', "", view.group(0))
        element = re.sub(r"^<workbookView\b", f'<workbookView activeTab="{index}"', element)
        text = text[: view.start()] + element + text[view.end() :]
    return text


def to_pdf(xlsx: Path, out_dir: Path, sheet: str | None = None, timeout_s: float = TIMEOUT_S) -> Path:
    """Render a workbook (or one of its sheets) to PDF with LibreOffice, formulas recalculated.

    Parameters
    ----------
    xlsx : Path
        The workbook; it is not changed.
    out_dir : Path
        Where the PDF is written, as ``<stem>.pdf`` or ``<stem>.<sheet>.pdf`` (created if missing).
    sheet : str, optional
        Render only this sheet: the others are marked hidden in a copy of the workbook (LibreOffice
        does not print hidden sheets, and formulas still read them). None renders every sheet.
    timeout_s : float
        Seconds before LibreOffice is killed and ``LibreOfficeError`` raised.

    Returns
    -------
    Path
        The PDF; count its pages with ``pdf_pages``.

    Raises
    ------
    ValueError
        When the workbook has no sheet named ``sheet``.
    LibreOfficeError
        When LibreOffice is missing, fails, writes nothing or times out.
    """
    xlsx = Path(xlsx)
    if sheet is None:
        return _deliver(_convert(xlsx, "pdf", timeout_s), Path(out_dir) / f"{xlsx.stem}.pdf")
    with tempfile.TemporaryDirectory(prefix="bimcarbon-sheet-") as tmp:
        copy = Path(tmp) / xlsx.name
        with zipfile.ZipFile(xlsx) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    data = _only_sheet_visible(data.decode("utf-8"), sheet).encode("utf-8")
                elif item.filename.startswith("xl/worksheets/sheet"):
                    # a selected tab is printed even when hidden: select none (the active one is set)
                    data = re.sub(rb'\s+tabSelected="1"', b"", data)
                zout.writestr(item, data)
        made = _convert(copy, "pdf", timeout_s)
    safe = re.sub(r"[^\w.-]+", "_", sheet)
    return _deliver(made, Path(out_dir) / f"{xlsx.stem}.{safe}.pdf")


def pdf_pages(pdf: Path) -> int:
    """The number of pages of a PDF.

    Parameters
    ----------
    pdf : Path
        The PDF file.

    Returns
    -------
    int
        Its page count, read with pypdf.
    """
    return len(pypdf.PdfReader(pdf).pages)
