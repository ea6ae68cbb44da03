"""Data exchange: import line lists from CSV and XLSX, export lines and tables to XLSX, CSV, JSON and a Fiscal Data Package.

- `lines`: the columns of a line list, shared by export and import.
- `reading`: a CSV or XLSX source as numbered rows of cells.
- `importing`: `budget-tui import`, from rows to lines, with a report of every row skipped.
- `writing`: a budget's lines as a file in the documented format.
- `exporting` and `workbook`: `budget-tui export`.
"""
