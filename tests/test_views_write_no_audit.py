"""Issue #21: views stay thin — audit entries are written by services, beside the write they
describe, so the API and commands get them too. No view module calls ``audit.record``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "alliage"


def test_no_view_writes_an_audit_entry_itself():
    views = [*ROOT.glob("*/views*.py"), *ROOT.glob("*/views/*.py")]
    assert len(views) > 20
    offenders = [str(p.relative_to(ROOT)) for p in views if "audit.record(" in p.read_text()]
    assert offenders == []
