"""Sign up, confirm the address, sign in (with MFA), sign out, reset a forgotten password."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bastion.accounts.actions import registration
from bastion.accounts.signin import PENDING_KEY, complete_mfa, sign_in, sign_out
from bastion.core import ratelimit
from bastion.core.clientip import client_ip
from bastion.core.errors import Problem
from bastion.core.forms import add_problem
from bastion.storefront.forms import CodeForm, EmailForm, NewPasswordForm, SignInForm, SignUpForm


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


def _after_signin(request) -> str:
    user = request.user
    default = reverse("console:home") if user.is_staff else reverse("storefront:profile")
    if user.is_staff and not user.is_verified():
        return reverse("storefront:mfa")
    return _next_url(request, default)


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.enforce("register", client_ip(request))
            result = registration.register_user(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"], language=get_language() or "en")
        except Problem as problem:
            add_problem(form, problem)
            return render(request, "storefront/signup.html", {"form": form}, status=problem.status)
        # The address as we store and mail it (trimmed, lower case), not as typed.
        return render(request, "storefront/check_mail.html", {"email": result.email})
    return render(request, "storefront/signup.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signin(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = sign_in(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        except Problem as problem:
            add_problem(form, problem)
            return render(request, "storefront/signin.html", {"form": form, "next": _next_url(request, "")},
                          status=problem.status)
        if result.mfa_required:
            target = reverse("storefront:signin_mfa")
            next_url = _next_url(request, "")
            return redirect(f"{target}?next={next_url}" if next_url else target)
        return redirect(_after_signin(request))
    return render(request, "storefront/signin.html", {"form": form, "next": _next_url(request, "")})


@require_http_methods(["GET", "POST"])
def signin_mfa(request):
    if PENDING_KEY not in request.session:
        messages.info(request, _("Sign in with your email and password first."))
        return redirect("storefront:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complete_mfa(request, code=form.cleaned_data["code"])
        except Problem as problem:
            if problem.code in {"mfa_not_pending", "mfa_too_many_attempts"}:
                messages.error(request, problem.detail)
                return redirect("storefront:signin")
            add_problem(form, problem)
            return render(request, "storefront/signin_mfa.html", {"form": form, "next": _next_url(request, "")},
                          status=problem.status)
        return redirect(_after_signin(request))
    return render(request, "storefront/signin_mfa.html", {"form": form, "next": _next_url(request, "")})


@require_POST
def signout(request):
    sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("storefront:home")


@require_http_methods(["GET", "POST"])
def verify_email(request, token: str):
    # GET shows a button; only the POST confirms, so mail scanners that open links confirm nothing.
    if request.method == "GET":
        return render(request, "storefront/verify_email.html", {"token": token})
    try:
        registration.verify_email(token=token)
    except Problem as problem:
        return render(request, "storefront/verify_email.html", {"token": token, "problem": problem},
                      status=problem.status)
    messages.success(request, _("Your email address is confirmed. You can sign in now."))
    return redirect("storefront:signin")


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.enforce("verification_mail", client_ip(request), form.cleaned_data["email"])
        except Problem as problem:
            add_problem(form, problem)
            return render(request, "storefront/resend_verification.html", {"form": form}, status=problem.status)
        registration.resend_verification(email=form.cleaned_data["email"])
        return render(request, "storefront/check_mail.html", {"email": form.cleaned_data["email"]})
    return render(request, "storefront/resend_verification.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.enforce("password_reset", client_ip(request), form.cleaned_data["email"])
        except Problem as problem:
            add_problem(form, problem)
            return render(request, "storefront/password_reset.html", {"form": form}, status=problem.status)
        registration.request_password_reset(email=form.cleaned_data["email"])
        return render(request, "storefront/check_mail.html", {"email": form.cleaned_data["email"], "reset": True})
    return render(request, "storefront/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uid: str, token: str):
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.reset_password(uid=uid, token=token, new_password=form.cleaned_data["new_password"])
        except Problem as problem:
            add_problem(form, problem)
        else:
            sign_out(request)
            messages.success(request, _("Your password is changed. Sign in with the new one."))
            return redirect("storefront:signin")
    return render(request, "storefront/password_reset_confirm.html", {"form": form},
                  status=422 if form.errors else 200)


