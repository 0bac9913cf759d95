# SPDX-License-Identifier: MIT
# Judge: a cell's verdict, the typed results records, the documents, the extension matrix.
