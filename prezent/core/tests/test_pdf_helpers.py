"""The tests' PDF reader finds every stream, whatever bytes the compression happens to end with."""

import zlib

from prezent.core.testing import pdf_streams


def test_a_stream_whose_compressed_bytes_end_in_a_carriage_return_is_read():
    found = (
        (content, packed)
        for content in (f"BT /F1 12 Tf ({'ă' * n}) Tj ET".encode() for n in range(1, 5000))
        if (packed := zlib.compress(content)).endswith(b"\r")
    )
    content, packed = next(found)
    header = b"%PDF-1.7\n1 0 obj\n<< /Length " + str(len(packed)).encode() + b" >>\nstream\n"
    pdf = header + packed + b"\nendstream\nendobj\n%%EOF"
    assert pdf_streams(pdf) == [content]
