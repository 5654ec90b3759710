"""Official documents in the Front's layout (Word .docx, and PDF through LibreOffice): the district's báo cáo
sơ kết, written from the store's data, with its settings, its shared layout and its conversion.

* :mod:`nrlib.documents.settings` — the layout rules and the district's settings (recipients, signer,
  place name), from ``data/reference/documents.yaml`` and an optional local override;
* :mod:`nrlib.documents.layout` — what every document shares: page, fonts, the two header blocks, the
  place-and-date line, tên loại and trích yếu, numbered tables, the signature and "Nơi nhận";
* :mod:`nrlib.documents.report` — the báo cáo sơ kết's body (figures, sentences, compiled narratives,
  annex);
* :mod:`nrlib.documents.convert` — .docx → PDF with headless LibreOffice;
* :mod:`nrlib.documents.build` — ``nrlib documents``: checks, then writes each document.

Each document kind is one entry of :data:`nrlib.documents.build.DOCUMENTS`; a new one (a commendation
dossier, a note to the Huyện ủy) adds a builder that uses :mod:`~nrlib.documents.layout`.
"""
