"""Evidence captures: archived copies of cited pages, and quote checks against them.

- ``quotes``: how a citation's passage is looked for in a capture's text;
- ``extract``: the visible text of an HTML page, a PDF or a plain-text file;
- ``warc``: a capture's bytes as a WARC record (standard web-archive format);
- ``fetching``: fetching a URL safely (http(s) only, public addresses only);
- ``storing``: making a ``Capture`` (upload or fetch), with history;
- ``checking``: which capture a citation is checked against, and the result.
"""
