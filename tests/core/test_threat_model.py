"""The threat model (docs/security.md) points each control to the test that proves it:
every test it names exists, so a renamed or removed test cannot leave a control
unproved without this failing."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ["security.md", "survivor-safe.md", "accounts.md", "security-hardening.md", "backups.md"]
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)?)`|`(::\w+)`")


def functions_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_test_the_security_guides_name_exists() -> None:
    missing = []
    named = 0
    for doc in DOCS:
        last_file: Path | None = None
        for file, name, bare in REFERENCE.findall((ROOT / "docs" / doc).read_text()):
            if file:
                last_file = ROOT / file
                if not last_file.is_file():
                    missing.append(f"{doc}: {file}")
                    continue
            # `::name` alone continues the file named just before it.
            name = name or bare
            if name and last_file is not None and last_file.is_file():
                named += 1
                if name[2:] not in functions_of(last_file):
                    missing.append(f"{doc}: {last_file.relative_to(ROOT)}{name}")
    assert not missing, missing
    assert named > 30
