"""The hostile suite: bad input, hostile files, faults and untrusted text (see SECURITY.md)."""
