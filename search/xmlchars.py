"""Characters XML 1.0 forbids: every XML output drops them, and ingest never stores them.

XML allows tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF; a single other
character (a C0 control from a query string, U+FFFE/U+FFFF or a lone surrogate from an archive's
JSON escapes) makes a whole Atom feed unreadable, and a lone surrogate cannot even be written as
UTF-8. Escaping does not help: XML 1.0 has no way to write them at all.
"""

from __future__ import annotations

import re

XML_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The same, without the C0 controls: what ingest drops (it turns controls into spaces itself).
NONCHARACTERS = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    return XML_FORBIDDEN.sub("", text)
