"""The open data: the synthesis, the figures and charts, the dataset files and releases, the exports, money in
euros, the glossary, and their refresh in the worker."""
