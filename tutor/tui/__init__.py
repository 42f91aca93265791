"""The full-screen tutor (`dltutor start`), a thin Textual client of `tutor.session.Tutor`.

Layout of the package, after frogmouth:

* `app.py`      the app, its factory (`create_app`, shared by the CLI and the
                tests) and `run_app`, what `dltutor start` calls;
* `messages.py` what the worker threads post back to the app;
* `workers.py`  the blocking jobs (a check, watching saves, probing the GPU);
* `texts.py`    the key table, marks and small formatters (texts: `tutor/i18n/locale/tui.toml`);
* `render.py`   Rich renderings of verdicts, hints and the exercise header;
* `editor.py`   which editor `e` opens;
* `wrap.py`     line breaking between Japanese characters (Textual and Rich break at spaces);
* `screens/`, `dialogs/`, `widgets/`.

Nothing here decides a verdict, writes to the store by itself or imports torch:
every action goes through `Tutor`. Importing this package imports nothing.
"""
