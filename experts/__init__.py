"""Experts (专家库): the pool, verifiable random draws, review meetings."""
