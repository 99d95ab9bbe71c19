"""Undoable annotation edits (QUndoCommand) over the review service, and the decisions on
suggested moments (accepting one makes an annotation).

Every command saves at once through ``bwvreview.annotations.review`` (or ``suggestions``);
undo and redo save too. Re-creating a deleted annotation gives it a new id, so commands
look ids up through ``IdMap``, which follows an annotation across such re-creations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtGui import QUndoCommand

from bwvreview.app import SuggestedMoment, review
from bwvreview.app.errors import DomainError, NotFoundError
from bwvreview.app.records import Annotation

FIELDS = ("start_ms", "end_ms", "note", "severity", "quote", "suggested_wording", "status")


@dataclass
class IdMap:
    """Follows an annotation whose row was deleted and re-created by undo/redo."""

    moved: dict[int, int] = field(default_factory=dict)

    def current(self, annotation_id: int) -> int:
        seen = {annotation_id}
        while annotation_id in self.moved and self.moved[annotation_id] not in seen:
            annotation_id = self.moved[annotation_id]
            seen.add(annotation_id)
        return annotation_id

    def follow(self, old_id: int, new_id: int) -> None:
        """Record a re-creation (SQLite may hand the same id out again: then nothing moved)."""
        if old_id == new_id:
            self.moved.pop(old_id, None)
        else:
            self.moved[old_id] = new_id


@dataclass(frozen=True)
class AnnotationContext:
    """What every command needs: the database, the codebook in force, who acts, ids, and
    whom to tell what changed (an annotation saved, or the id of one removed), so the
    workspace can update its lists without reading every annotation again."""

    db: Any
    codebook_id: int
    actor: str
    ids: IdMap
    changed: Callable[[Annotation | None, int | None], None] = lambda _saved, _removed: None
    # The version of an annotation the reviewer is looking at (None: read the stored one).
    # A save whose version is no longer stored would overwrite someone else's work: it is
    # handed to ``conflicted`` (the stored annotation and the fields being saved) instead.
    shown: Callable[[int], Annotation | None] = lambda _annotation_id: None
    conflicted: Callable[[Annotation, dict[str, Any]], None] | None = None


def _recreate(ctx: AnnotationContext, gone: Annotation) -> Annotation:
    return review.create_annotation(
        ctx.db,
        recording_id=gone.recording_id,
        codebook_id=ctx.codebook_id,
        category_key=gone.category_key,
        start_ms=gone.start_ms,
        end_ms=gone.end_ms,
        actor=ctx.actor,
        note=gone.note,
        severity=gone.severity,
        quote=gone.quote,
        first_word_id=gone.first_word_id,
        last_word_id=gone.last_word_id,
        suggested_wording=gone.suggested_wording,
        status=gone.status,
        source=gone.source,
        author_id=gone.author_id,
    )


class CreateAnnotation(QUndoCommand):
    def __init__(self, ctx: AnnotationContext, label: str, **spec: Any) -> None:
        super().__init__(f"Add {label}")
        self.ctx = ctx
        self.spec = spec
        self.created: Annotation | None = None

    def redo(self) -> None:
        if self.created is None:
            self.created = review.create_annotation(
                self.ctx.db, codebook_id=self.ctx.codebook_id, actor=self.ctx.actor, **self.spec
            )
        else:
            again = _recreate(self.ctx, self.created)
            self.ctx.ids.follow(self.created.id, again.id)
            self.created = again
        self.ctx.changed(self.created, None)

    def undo(self) -> None:
        assert self.created is not None
        gone = review.delete_annotation(self.ctx.db, self.ctx.ids.current(self.created.id),
                                        actor=self.ctx.actor)  # fmt: skip
        self.ctx.changed(None, gone.id)


class UpdateAnnotation(QUndoCommand):
    def __init__(
        self, ctx: AnnotationContext, before: Annotation, changes: dict[str, Any], text: str
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.annotation_id = before.id
        self.before = {name: getattr(before, name) for name in changes}
        self.after = dict(changes)

    def _apply(self, values: dict[str, Any]) -> None:
        annotation_id = self.ctx.ids.current(self.annotation_id)
        try:
            seen = self.ctx.shown(annotation_id)
            if seen is None:
                seen = review.get_annotation(self.ctx.db, annotation_id)
            saved = review.update_annotation(self.ctx.db, annotation_id,
                                             expected_version=seen.version,
                                             actor=self.ctx.actor, **values)  # fmt: skip
        except NotFoundError as exc:
            self.setObsolete(True)  # nothing to save to: this step leaves the undo history
            raise DomainError(
                "This annotation was deleted (by someone else, or on another computer), "
                "so your change was not saved."
            ) from exc
        except review.ConflictError:
            if self.ctx.conflicted is None:
                raise
            self.setObsolete(True)  # nothing was saved: this step leaves the undo history
            self.ctx.conflicted(review.get_annotation(self.ctx.db, annotation_id), dict(values))
            return
        self.ctx.changed(saved, None)

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class DeleteAnnotation(QUndoCommand):
    def __init__(self, ctx: AnnotationContext, annotation: Annotation) -> None:
        super().__init__(f"Delete {annotation.category_label}")
        self.ctx = ctx
        self.annotation = annotation

    def redo(self) -> None:
        annotation_id = self.ctx.ids.current(self.annotation.id)
        seen = self.ctx.shown(annotation_id) or self.annotation
        try:
            self.annotation = review.delete_annotation(self.ctx.db, annotation_id,
                                                       expected_version=seen.version,
                                                       actor=self.ctx.actor)  # fmt: skip
        except review.ConflictError as exc:
            self.setObsolete(True)  # nothing was deleted: this step leaves the undo history
            self.ctx.changed(review.get_annotation(self.ctx.db, annotation_id), None)
            raise DomainError(
                "Someone else changed this annotation since you opened it, so it was not "
                "deleted. Their version is shown now: delete it again if it should still go."
            ) from exc
        self.ctx.changed(None, self.annotation.id)

    def undo(self) -> None:
        again = _recreate(self.ctx, self.annotation)
        self.ctx.ids.follow(self.annotation.id, again.id)
        self.annotation = again
        self.ctx.changed(again, None)


MomentChanged = Callable[[SuggestedMoment], None]


class AcceptSuggestion(QUndoCommand):
    """Accept a suggested moment: it becomes a draft annotation quoting its words. Undo
    removes that annotation and leaves the suggestion pending again."""

    def __init__(self, ctx: AnnotationContext, moment: SuggestedMoment,
                 moment_changed: MomentChanged) -> None:  # fmt: skip
        super().__init__(f"Accept suggestion {moment.label}")
        assert moment.suggestion_id is not None
        self.ctx = ctx
        self.moment = moment
        self.moment_changed = moment_changed
        self.created: Annotation | None = None

    def redo(self) -> None:
        _decided, made = review.accept_suggestion(
            self.ctx.db, self.moment.suggestion_id, codebook_id=self.ctx.codebook_id,
            actor=self.ctx.actor,
        )  # fmt: skip
        if self.created is not None:
            self.ctx.ids.follow(self.created.id, made.id)
        self.created = made
        self.ctx.changed(made, None)
        self.moment_changed(replace(self.moment, state="accepted"))

    def undo(self) -> None:
        assert self.created is not None
        gone = review.delete_annotation(self.ctx.db, self.ctx.ids.current(self.created.id),
                                        actor=self.ctx.actor)  # fmt: skip
        review.reopen_suggestion(self.ctx.db, self.moment.suggestion_id, actor=self.ctx.actor)
        self.ctx.changed(None, gone.id)
        self.moment_changed(replace(self.moment, state="pending"))


class RejectSuggestion(QUndoCommand):
    """Say a suggested moment did not apply (it is not suggested again); undo takes that
    back and it is pending again."""

    def __init__(self, ctx: AnnotationContext, moment: SuggestedMoment,
                 moment_changed: MomentChanged) -> None:  # fmt: skip
        super().__init__(f"Reject suggestion {moment.label}")
        assert moment.suggestion_id is not None
        self.ctx = ctx
        self.moment = moment
        self.moment_changed = moment_changed

    def redo(self) -> None:
        review.reject_suggestion(self.ctx.db, self.moment.suggestion_id, actor=self.ctx.actor)
        self.moment_changed(replace(self.moment, state="rejected"))

    def undo(self) -> None:
        review.reopen_suggestion(self.ctx.db, self.moment.suggestion_id, actor=self.ctx.actor)
        self.moment_changed(replace(self.moment, state="pending"))
