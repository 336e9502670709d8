"""The tests' PDF reader finds every stream, whatever bytes the compression happens to end with."""

import itertools
import zlib

from prezent.core.testing import pdf_streams


def test_a_stream_whose_compressed_bytes_end_in_a_carriage_return_is_read():
    for n in itertools.count():
        content = f"BT /F1 12 Tf (pagina {n}) Tj ET".encode()
        packed = zlib.compress(content)
        if packed.endswith(b"\r"):
            break
    header = b"%PDF-1.7\n1 0 obj\n<< /Length " + str(len(packed)).encode() + b" >>\nstream\n"
    pdf = header + packed + b"\nendstream\nendobj\n%%EOF"
    assert pdf_streams(pdf) == [content]
