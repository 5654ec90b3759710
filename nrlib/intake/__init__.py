"""One received file, from bytes to a validated result: limits, the container pre-check, reading,
the compiled outline, the sheet readers, plausibility warnings and validation, and a partner's workbook
(partner: the coordination office's, the culture committee's). Never touches the store.
"""
