"""The settings of the official documents: layout rules and a district's own values, with their sources.

Method: the defaults are ``data/reference/documents.yaml`` (each value with
its source there: Nghị định 30/2020/NĐ-CP for the layout, the district's plan
for recipients); a district's file (:func:`nrlib.config.documents_settings_path`:
``$NRLIB_DOCUMENTS`` or ``data/local/documents.yaml``) replaces the keys it
gives, at any depth, and nothing else. A key the defaults do not have is a
typing mistake and is refused, as is a value of another kind (a list where a
text is expected), with one line naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nrlib import config
from nrlib.exceptions import ConfigError
from nrlib.reference.district_settings import merge_settings
from nrlib.reference.files import reference_file


@dataclass(frozen=True)
class DocumentSettings:
    """The merged settings (``raw``) and the files they came from."""

    raw: dict[str, Any]
    reference_path: Path
    local_path: Path | None

    @property
    def layout(self) -> dict:
        return self.raw["layout"]

    @property
    def national(self) -> dict:
        return self.raw["national"]

    @property
    def front(self) -> dict:
        return self.raw["front"]

    @property
    def district(self) -> dict:
        return self.raw["district"]

    def recipients(self, kind: str) -> list[str]:
        """The "Nơi nhận" entries of a document kind (``report``), in order."""
        return [str(x) for x in (self.district.get("recipients") or {}).get(kind) or []]

    def basis(self, kind: str) -> list[str]:
        """The "Căn cứ …" lines that open a document kind."""
        return [" ".join(str(x).split()) for x in (self.district.get("basis") or {}).get(kind) or []]

    def document_type(self, kind: str) -> dict:
        """``{"name": "BÁO CÁO", "code": "BC"}`` of a document kind."""
        return self.front["document_types"][kind]

    def place(self, district_name: str) -> str:
        """The place in the date line: the district's own setting, else its registry name without its type
        (``"Huyện Thống Nhất"`` → ``"Thống Nhất"``)."""
        own = self.district.get("place")
        if own:
            return str(own).strip()
        for prefix in sorted(self.raw["place"]["district_type_prefixes"], key=len, reverse=True):
            if district_name.casefold().startswith(prefix.casefold() + " "):
                return district_name[len(prefix) + 1:].strip()
        return district_name.strip()


def load_settings(local: str | Path | None = None) -> DocumentSettings:
    """The documents' settings: the reference defaults with the district's file over them.

    Parameters
    ----------
    local : str or Path, optional
        The district's file; default :func:`nrlib.config.documents_settings_path`.

    Raises
    ------
    ConfigError
        The district's file cannot be read, is not a mapping, names a key the
        defaults do not have, or gives a value of another kind.
    """
    ref = reference_file("documents")
    base = _read(ref)
    path = Path(local) if local else config.documents_settings_path()
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"không tìm thấy tệp thiết lập văn bản {path} / documents settings file not found: {path}")
        own = _read(path)
        base = merge_settings(base, own, path)   # the one merge of a district's settings over the defaults
    return DocumentSettings(raw=base, reference_path=ref, local_path=path)


def _read(path: Path) -> dict:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = config.load_yaml(fh)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"không đọc được tệp thiết lập văn bản {path}: {exc} / cannot read {path}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"tệp thiết lập văn bản {path} không đúng cú pháp YAML: {str(exc).splitlines()[0]} / "
                          f"{path} is not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"tệp thiết lập văn bản {path} phải là các cặp khóa: giá trị / {path} must be a mapping")
    return data
