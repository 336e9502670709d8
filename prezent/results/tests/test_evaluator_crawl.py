"""The evaluator / funder viewer reads the dashboards but never a child's name: crawl every page reachable from
the home page (links and GET forms' default submissions) and look for any child's name in every response,
downloads included."""

import io
import re
from urllib.parse import urldefrag, urljoin, urlparse

from openpyxl import load_workbook

from prezent.children.models import Child
from prezent.core.testing import pdf_text

HREF = re.compile(r'href="([^"]+)"')


def _texts(response) -> str:
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.content))
        return " ".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c)
    if "pdf" in kind:
        text = pdf_text(response.content)
        assert "Copii în grupul țintă" in text  # the text was read: a check of nothing would prove nothing
        return text
    return response.content.decode("utf-8", errors="replace")


def test_evaluator_crawl_finds_no_child_name(client, results_world):
    for i, child in enumerate(Child.objects.order_by("pk")):
        child.first_name, child.last_name = f"Prenumecopil{i}", f"Numecopil{i}"
        child.save(update_fields=["first_name", "last_name"])
    client.force_login(results_world.users.me_viewer)
    seen: set[str] = set()
    queue = ["/"]
    statuses: dict[str, int] = {}
    while queue and len(seen) < 300:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200:
            continue
        text = _texts(response)
        assert "Numecopil" not in text and "Prenumecopil" not in text, url
        if "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(text):
                target = urldefrag(urljoin(url, href.replace("&amp;", "&")))[0]
                parsed = urlparse(target)
                if parsed.netloc or not target.startswith("/") or target.startswith("/static/"):
                    continue
                if target not in seen:
                    queue.append(target)
    reached = [u for u, s in statuses.items() if s == 200]
    assert any(u.startswith("/rezultate/harta/") for u in reached)
    assert any(u.startswith("/rezultate/export/evaluare.csv") for u in reached)
    assert any(u.startswith("/rezultate/export/raport.pdf") for u in reached)
    assert any(u.startswith("/rezultate/scoli/") and u.rstrip("/").split("/")[-1].isdigit() for u in reached)
    assert len(reached) >= 10
