# SPDX-License-Identifier: MIT
# Reports: summary, text/Markdown, HTML, JUnit, diff, live progress, writing a run's files.
