"""
Import and export as the bloc's files really are: Excel or CSV, Vietnamese headers,
dd/mm/yyyy dates, "Quý I/2024", "Có"/"Không", CSV saved by Excel on Vietnamese
Windows (Windows-1258) or as UTF-8, rows referring to units and officials by code.

One module per part, plugged into django-import-export:
- `reading`: how an uploaded file becomes rows (encoding, header row, limits);
- `widgets`: one cell in, one value out, with Vietnamese errors;
- `resources`: the resource base, scoped to the importing user;
- `formats`: the file formats, exports with formulas made inert;
- `check`: the full check of an upload, every row with its result, as a CSV download;
- `admin`: the upload form and the admin mixin, and the blank template.
"""
