"""The editors' page: the most frequent people and organizations of the index, where an editor
merges two values, renames or blocks one, gives it an English label, and accepts or refuses the
suggested merges one by one. Every change goes to the overrides file through
search.entities.override_edits (checked, written whole, recorded with who made it).

Off unless an editor token is configured (ARSHIF_EDITOR_TOKEN, read in search.config): the
pages answer 404 then. An editor signs in with a name (kept in the history) and the token; the
session cookie is HttpOnly and SameSite=Strict, and every form carries a per-session CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from markupsafe import Markup

from search.entities.override_edits import ACTIONS, Edit, EditError, apply_edit, printable_text, read_history
from search.entities.overrides import KINDS, load_overrides, overrides_problem
from search.query.state import SearchState
from search.schema import FACETS_BY_NAME
from search.web.context import engine
from search.web.labels import facet_label
from search.web.results import facet_matches

bp = Blueprint("editors", __name__, url_prefix="/editors")
LISTED = 100  # values a page lists (the filter box finds the others)
MAX_FILTER, MAX_NAME = 100, 60
ACTION_NAMES = {
    "merge": "دمج",
    "unmerge": "إلغاء دمج",
    "rename": "تسمية",
    "label_en": "اسم إنجليزي",
    "block": "حجب",
    "unblock": "إلغاء حجب",
    "reject": "رفض اقتراح دمج",
}


def init_app(app: Flask) -> None:
    """Register the pages; give the session a key and strict cookies when editors are enabled."""
    app.register_blueprint(bp)
    token = app.extensions["arshif.settings"].editor_token
    if token:
        app.config.setdefault("SECRET_KEY", None)
        if not app.config["SECRET_KEY"]:  # the same in every worker process, never the token itself
            app.config["SECRET_KEY"] = hashlib.sha256(b"arshif editors session\0" + token.encode()).hexdigest()
        app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")


def _token() -> str | None:
    return current_app.extensions["arshif.settings"].editor_token or None


@bp.before_request
def _enabled_and_signed_in():
    if not _token():
        abort(404)
    if request.method == "POST" and not hmac.compare_digest(request.form.get("csrf", ""), _csrf()):
        message = "انتهت صلاحية النموذج: أعد تحميل الصفحة وحاول مجددًا"
        return render_template("error.html", code=400, message=message), 400
    if request.endpoint != "editors.login" and not session.get("editor"):
        return redirect(url_for("editors.login"))
    return None


def _csrf() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _clean(text: str | None, limit: int) -> str:
    return printable_text(text)[:limit]


def _kind() -> str:
    kind = request.values.get("facet", "person")
    return kind if kind in KINDS else "person"


def _back(kind: str, text: str):
    return redirect(url_for("editors.index", facet=kind, q=text or None))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = _clean(request.form.get("name"), MAX_NAME)
        given = request.form.get("token", "")
        if name and hmac.compare_digest(given.encode(), _token().encode()):
            session.clear()
            session["editor"] = name
            return redirect(url_for("editors.index"))
        error = "الاسم مطلوب، ورمز المحررين غير صحيح" if name else "اكتب اسمك ليُسجَّل في سجل التغييرات"
        return render_template("editors_login.html", csrf=_csrf(), name=name, error=error), 403
    return render_template("editors_login.html", csrf=_csrf(), name="", error=None)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("views.search_page"))


@bp.get("/")
def index():
    kind, text = _kind(), _clean(request.args.get("q"), MAX_FILTER)
    values = facet_matches(engine(), SearchState(), FACETS_BY_NAME[kind], text, limit=LISTED)
    overrides = load_overrides()
    rows = []
    for value in values:
        ref = f"{kind}:{value.key}"
        target = overrides.merge.get(ref)
        rows.append(
            {
                "value": value,
                "ref": ref,
                "blocked": ref in overrides.block,
                "merged_into": target
                and (target, facet_label(kind, target.split(":", 1)[1], engine().entity_labels())[0]),
                "renamed": overrides.rename.get(ref, ""),
                "english": overrides.label_en.get(ref, ""),
            }
        )
    return render_template(
        "editors.html",
        kind=kind,
        text=text,
        rows=rows,
        csrf=_csrf(),
        problem=overrides_problem(),
        history=read_history(20),
        editor=session["editor"],
        action_names=ACTION_NAMES,
    )


@bp.get("/suggestions")
def suggestions():
    from search.entities.merge_suggestions import suggestions_for_index

    labels = engine().entity_labels()
    found = [
        (s, facet_label("person", s.short, labels)[0], facet_label("person", s.full, labels)[0])
        for s in suggestions_for_index(engine())[:LISTED]
    ]
    return render_template(
        "editors_suggestions.html",
        suggestions=found,
        csrf=_csrf(),
        problem=overrides_problem(),
        editor=session["editor"],
    )


@bp.post("/change")
def change():
    kind, text = _kind(), _clean(request.form.get("q"), MAX_FILTER)
    action = request.form.get("action", "")
    key, value = _clean(request.form.get("key"), 500), _clean(request.form.get("value"), 500)
    if action not in ACTIONS or not key:
        flash("تغيير غير معروف", "error")
        return _back(kind, text)
    if action in ("merge", "reject") and value and ":" not in value:
        value = f"{kind}:{value}"  # the editor typed a key of the same facet
    if action in ("merge", "reject") and not value:
        flash("اكتب القيمة التي تُدمج فيها", "error")
        return _back(kind, text)
    try:
        apply_edit(Edit(action, f"{kind}:{key}", value), who=session["editor"])
    except EditError as error:
        # the checker's English detail in its own left-to-right span, as the file banner shows it
        flash(Markup('{} <span dir="ltr">{}</span>').format(error.message, error.detail), "error")
    except OSError as error:
        flash(f"تعذّرت كتابة ملف التصحيحات: {error.strerror}", "error")
    else:
        flash(_done(action, key, value), "done")
    if request.form.get("back") == "suggestions":
        return redirect(url_for("editors.suggestions"))
    return _back(kind, text)


def _done(action: str, key: str, value: str) -> str:
    what = {
        "merge": f"دُمجت «{key}» في «{value.split(':', 1)[-1]}»: يظهر الدمج في النتائج بعد الفهرسة التالية",
        "unmerge": f"أُلغي دمج «{key}» (بعد الفهرسة التالية)",
        "rename": f"حُفظ اسم «{key}»",
        "label_en": f"حُفظ الاسم الإنجليزي لـ«{key}»",
        "block": f"حُجبت «{key}» (بعد الفهرسة التالية)",
        "unblock": f"أُلغي حجب «{key}» (بعد الفهرسة التالية)",
        "reject": f"رُفض اقتراح دمج «{key}»",
    }
    return what[action]
