"""Label Studio for ie: push reports as pre-annotated tasks, pull annotations, convert them into a
BIO dataset, and serve the rule tagger as an ML backend (``python -m ie.studio --help``).

  client.py   the connection: settings, SDK client, projects, one-line errors without the key
  tasks.py    push: report → chunks of whole lines → tasks with the tagger's predictions
  export.py   pull: the project's JSON export → one diff-friendly file per document
  convert.py  pulled files → datasets.DatasetDict of character BIO tags, split by document
  backend.py  an ML backend (stdlib http.server) serving predictions to Label Studio
"""
