"""Showing a domain Problem on an HTML form: on its field when it names one, else on the form."""

from django import forms

from bastion.core.errors import Problem


def add_problem(form: forms.Form, problem: Problem) -> None:
    field = problem.extra.get("field")
    form.add_error(field if field in form.fields else None, problem.detail)
