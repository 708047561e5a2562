"""Ingestion and indexing of Chinese government reports."""
