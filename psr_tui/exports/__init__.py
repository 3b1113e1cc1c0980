"""PDF reports and CSV/xlsx/JSON import and export. Never imports Textual."""
