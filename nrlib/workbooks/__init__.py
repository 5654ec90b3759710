"""Workbooks nrlib writes: where each cell sits (layout), blank templates, the partners' workbooks (partner,
partner_sample), sample and synthetic data.
"""
