"""The web app: upload a model, watch it being assessed, read the verdict, download the workbook."""
