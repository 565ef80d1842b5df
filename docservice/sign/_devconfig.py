"""Reading ``certs/dev-pki.yml`` into certomancer, with the officials' names shaped like SAT's.

Shared by ``pki`` (which writes the files) and ``animator`` (which serves TSA, OCSP and CRLs
from the same definition), so both build byte-identical certificates from the same keys.
certomancer is a development dependency: it is imported only here, lazily.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import x509

from docservice.sign import _asn1  # noqa: F401  # certomancer must build text x500UniqueIdentifiers

if TYPE_CHECKING:
    from certomancer.registry import ArchLabel, CertomancerConfig, PKIArchitecture

ARCH = "docservice"


def arch_label() -> ArchLabel:
    from certomancer.registry import ArchLabel  # noqa: PLC0415  # development only

    return ArchLabel(ARCH)


def read_config(config: Path) -> dict[str, Any]:
    import yaml  # noqa: PLC0415  # PyYAML comes with certomancer (development only)

    data: dict[str, Any] = yaml.safe_load(config.read_text("utf-8"))
    return data


def official_labels(config: dict[str, Any]) -> list[str]:
    """Key labels of the officials: the keys certomancer reads as public only."""
    keys: dict[str, dict[str, Any]] = config["keysets"][ARCH]["keys"]
    return [label for label, spec in keys.items() if spec.get("public-only")]


def service_labels(config: dict[str, Any]) -> list[str]:
    """Key labels of the CAs and services (their keys stay in PEM for certomancer)."""
    keys: dict[str, dict[str, Any]] = config["keysets"][ARCH]["keys"]
    return [label for label, spec in keys.items() if not spec.get("public-only")]


def build_certomancer(config: dict[str, Any], dest: Path, url_prefix: str) -> CertomancerConfig:
    """The whole certomancer configuration (what the animator serves)."""
    from certomancer.registry import CertomancerConfig  # noqa: PLC0415  # development only

    cfg: CertomancerConfig = CertomancerConfig(
        config, key_search_dir=str(dest), external_url_prefix=url_prefix
    )
    _sat_shape_names(cfg.get_pki_arch(arch_label()), official_labels(config))
    return cfg


def _sat_shape_names(arch: PKIArchitecture, labels: list[str]) -> None:
    """Write x500UniqueIdentifier as PrintableString, as SAT does (certomancer writes UTF8).

    certomancer builds names with ``Name.build``, which has no per-attribute string type, so
    the built names are replaced in its entity registry (a private dict: pinned certomancer).
    """
    from certomancer.registry import EntityLabel  # noqa: PLC0415  # development only

    registry: dict[EntityLabel, x509.Name] = arch.entities._dict
    for label in map(EntityLabel, labels):
        if label in registry:
            registry[label] = _printable_unique_identifier(registry[label])


def _printable_unique_identifier(name: x509.Name) -> x509.Name:
    rdns = []
    for rdn in name.chosen:
        attributes = []
        for original in rdn:
            value = original["value"].native
            attribute = original
            if original["type"].native == "unique_identifier" and _printable(value):
                attribute = x509.NameTypeAndValue(
                    {
                        "type": "unique_identifier",
                        "value": x509.DirectoryString(name="printable_string", value=value),
                    }
                )
            attributes.append(attribute)
        rdns.append(x509.RelativeDistinguishedName(attributes))
    return x509.Name(name="", value=x509.RDNSequence(rdns))


def _printable(value: str) -> bool:
    """PrintableString's alphabet (an RFC with & or Ñ stays UTF8String)."""
    extra = " '()+,-./:=?"
    return all((c.isascii() and c.isalnum()) or c in extra for c in value)
