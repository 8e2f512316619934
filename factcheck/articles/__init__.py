"""Importing an article: an HTML page or a plain-text capture becomes a Source.

- ``extraction``: the main text and metadata of an HTML page (trafilatura);
- ``boundaries``: where the article starts and ends in a plain-text capture;
- ``reading``: bytes or pasted text to a decoded document (HTML or plain text), or a refusal;
- ``importer``: the preview and the one-transaction save, with history.
"""
