"""Workbooks nrlib writes: where each cell sits (layout), blank templates, sample and synthetic data.
"""
