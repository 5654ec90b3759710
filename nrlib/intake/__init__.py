"""One received file, from bytes to a validated result: limits, the container pre-check, reading,
the compiled outline, the sheet readers, plausibility warnings and validation. Never touches the store.
"""
