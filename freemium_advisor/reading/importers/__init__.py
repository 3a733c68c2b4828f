"""Importers: inventories drafted from other sources (Pricing2Yaml pricings, CSV sheets).

Each importer returns a plain inventory dict (the YAML format's data);
:func:`dump_inventory` renders it as YAML that ``parse_inventory`` accepts and a PM can
edit by hand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from freemium_advisor.model.inventory import FEATURE_KEYS, LIMIT_KEYS, PRODUCT_KEYS, TIER_KEYS, TOP_KEYS
from freemium_advisor.reading.schema import SCHEMA_FILE
from freemium_advisor.model.signals import SIGNALS

IMPORTED_PRODUCT = "Imported product"  # the product name when the source has none

# Descriptions stay on one line: a PM edits them in place, and messages point at one line.
_WIDTH = 1_000_000

# One token of a camelCase key: a plural acronym (PDFs), an acronym (SSO, TLS) or a digit
# run glued to one (2FA), a word, a number, or punctuation that is kept.
_TOKEN = re.compile(
    r"[A-Z]{2,}s(?![a-z])|\d*[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]|\d+|[&/%.+\-]"
)
_GLUE_BOTH = frozenset("/.-")  # SSL/TLS, cake.com, ad-free
_GLUE_LEFT = frozenset("%+")  # 99%, Google+
# Acronyms a camelCase key writes as words (uiKits, restApis, samlSso): their usual case.
_ACRONYMS = {word.lower(): word for word in (
    "AI", "API", "APIs", "CRM", "CSV", "EU", "GDPR", "HIPAA", "HTML", "HTTP", "HTTPS", "IP",
    "JSON", "KPI", "LDAP", "MFA", "PDF", "PDFs", "QA", "SAML", "SCIM", "SDK", "SEO", "SFTP",
    "SLA", "SMS", "SQL", "SSL", "SSO", "TLS", "UI", "URL", "URLs", "UX", "VPN", "XML",
)}
# Names split in two by their camelCase: oAuth, VsCode.
_PHRASES = {"o auth": "OAuth", "vs code": "VS Code", "rest api": "REST API", "rest apis": "REST APIs"}
_PHRASE = re.compile(r"\b(?:" + "|".join(map(re.escape, _PHRASES)) + r")\b", re.IGNORECASE)


def humanize(key: str) -> str:
    """A readable name for a key: ``voiceAndVideoCalls`` -> ``Voice and video calls``.

    Acronyms keep their case (``SSL/TLSEncryption`` -> ``SSL/TLS encryption``,
    ``99%uptimeSLA`` -> ``99% uptime SLA``) and get it when written as words (``uiKits`` ->
    ``UI kits``, ``oAuthGoogle`` -> ``OAuth google``); ``_`` and spaces separate words. A key with
    nothing readable in it is returned unchanged.
    """
    text = ""
    previous = ""
    for token in _TOKEN.findall(key):
        if token.isalpha() and (len(token) == 1 or not token[:2].isupper()):
            token = _ACRONYMS.get(token.lower(), token.lower())  # a word, or an acronym written as one
        if text and previous not in _GLUE_BOTH and token not in _GLUE_BOTH | _GLUE_LEFT:
            text += " "
        text += token
        previous = token
    text = _PHRASE.sub(lambda found: _PHRASES[found.group().lower()], text)
    return text[:1].upper() + text[1:] if text else key


class _Flow(dict):
    """A short mapping written on one line: ``{metric: boards, free: 3}``."""


class _FlowList(list):
    """A short list written on one line: ``[free, pro, business]``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (a CSV cell, say) reads best as a literal block; PyYAML falls back to
    # quoting when a block cannot hold the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def dump_inventory(data: dict, *, header: str = "") -> str:
    """Render an inventory dict as deterministic YAML, keys in the documented order.

    The text starts with the schema comment editors use for completion, then each line of
    ``header`` as a ``#`` comment; features are separated by blank lines.
    """
    comments = [f"# yaml-language-server: $schema={SCHEMA_FILE}"]
    comments += [f"# {line}".rstrip() for line in header.splitlines()]
    top = _ordered(data, TOP_KEYS)
    features = top.pop("features", None) or []
    if "product" in top:
        top["product"] = _product(top["product"])
    text = "\n".join(comments) + "\n\n" + _dump(top)
    if not features:
        return text + "\nfeatures: []\n"
    items = [_indent(_dump([_feature(feature)])) for feature in features]
    return text + "\nfeatures:\n" + "\n".join(items)


def _product(product: dict) -> dict:
    product = _ordered(product, PRODUCT_KEYS)
    tiers = product.get("tiers")
    if isinstance(tiers, list):
        if all(isinstance(tier, dict) for tier in tiers):
            product["tiers"] = [_Flow(_ordered(tier, TIER_KEYS)) for tier in tiers]
        else:
            product["tiers"] = _FlowList(tiers)
    return product


def _feature(feature: dict) -> dict:
    feature = _ordered(feature, FEATURE_KEYS)
    if isinstance(feature.get("limit"), dict):
        feature["limit"] = _Flow(_ordered(feature["limit"], LIMIT_KEYS))
    if isinstance(feature.get("signals"), dict):
        feature["signals"] = _Flow(_ordered(feature["signals"], [s.name for s in SIGNALS]))
    return feature


def _ordered(mapping: dict, keys) -> dict:
    """``mapping`` with ``keys`` first, in that order, then any other key as it came."""
    result = {key: mapping[key] for key in keys if key in mapping}
    result.update((key, value) for key, value in mapping.items() if key not in result)
    return result


def _dump(value: Any) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH,
        default_flow_style=False,
    )


def _indent(text: str) -> str:
    return "".join("  " + line if line.strip("\n") else line
                   for line in text.splitlines(keepends=True))
