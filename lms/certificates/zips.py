"""Many stored certificate PDFs in one ZIP, streamed from disk as it is sent.

Only file names and sizes are held in memory, never the PDFs, so 5 or 5,000 certificates take
the same memory. The PDFs are stored, not compressed again (they already are), which also lets
the archive's exact length be known before the first byte: the browser can show progress.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zipstream import ZIP_STORED, ZipStream

from lms.certificates import storage
from lms.certificates.downloads import download_name
from lms.certificates.models import Certificate

MISSING_LIST = "missing-certificates.txt"


@dataclass(frozen=True)
class CertificateZip:
    stream: ZipStream
    count: int  # PDFs in the archive
    missing: list[str]  # codes whose stored PDF was not found

    def __len__(self) -> int:
        return len(self.stream)


def certificate_zip(certificates: Iterable[Certificate]) -> CertificateZip:
    """A sized ZIP of the stored PDFs, named as single downloads are; a certificate whose file
    is gone is listed in a text file inside the archive instead of failing the whole download."""
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    count, missing = 0, []
    for certificate in certificates:
        path = storage.path_of(certificate.pdf_name)
        if path.is_file():
            stream.add_path(str(path), download_name(certificate))
            count += 1
        else:
            missing.append(certificate.code)
    if missing:
        listing = "These certificates' stored PDFs could not be found:\n" + "\n".join(missing)
        stream.add(listing + "\n", MISSING_LIST)
    return CertificateZip(stream=stream, count=count, missing=missing)
