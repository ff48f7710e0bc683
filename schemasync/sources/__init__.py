"""The committed inputs a run reads: the Prisma schema (`prisma.py`) and the project's code
(`code.py`). Each module reads files once and returns values; nothing downstream touches the disk.
"""
