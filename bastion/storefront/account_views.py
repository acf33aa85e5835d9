"""A person's own account: profile, password, sessions, address book, second factor."""

from __future__ import annotations

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bastion.accounts import access, queries
from bastion.accounts.actions import mfa
from bastion.accounts.actions import profile as profile_actions
from bastion.accounts.actor import actor_for_request
from bastion.accounts.signin import mark_mfa_verified, sign_out
from bastion.core.errors import Problem
from bastion.core.forms import add_problem
from bastion.storefront.forms import AddressForm, CodeForm, PasswordChangeForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "phone": user.phone,
                                                      "preferred_language": user.preferred_language})
    if request.method == "POST" and form.is_valid():
        try:
            profile_actions.update_profile(user=user, **form.cleaned_data)
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("storefront:profile")
            response.set_cookie("django_language", user.preferred_language, samesite="Lax")
            return response
    return render(request, "storefront/profile.html", {
        "form": form, "grants": queries.grants_of(user), "mfa_enabled": mfa.has_mfa(user),
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_actions.change_password(user=request.user, current_password=form.cleaned_data["current_password"],
                                    new_password=form.cleaned_data["new_password"])
        except Problem as problem:
            add_problem(form, problem)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is changed. Your other sessions have ended."))
            return redirect("storefront:profile")
    return render(request, "storefront/change_password.html", {"form": form}, status=422 if form.errors else 200)


@login_required
@require_POST
def end_sessions(request):
    profile_actions.end_all_sessions(user=request.user)
    sign_out(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("storefront:signin")


def _addresses_page(request, form, status=200):
    template = "storefront/_addresses.html" if request.htmx else "storefront/addresses.html"
    return render(request, template, {"addresses": queries.addresses_of(request.user), "form": form},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def addresses(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_actions.add_address(user=request.user, data=form.cleaned_data)
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _("Address added."))
            if request.htmx:
                return _addresses_page(request, AddressForm())
            return redirect("storefront:addresses")
    return _addresses_page(request, form, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_address(request, address_id: int):
    try:
        address = access.get_address_for(actor_for_request(request), address_id)
    except Problem as problem:
        return render(request, "problem.html", {"problem": problem}, status=problem.status)
    initial = {f: getattr(address, f) for f in AddressForm.base_fields}
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_actions.update_address(address=address, data=form.cleaned_data)
        except Problem as problem:
            add_problem(form, problem)
        else:
            messages.success(request, _("Address saved."))
            return redirect("storefront:addresses")
    return render(request, "storefront/edit_address.html", {"form": form, "address": address},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def delete_address(request, address_id: int):
    try:
        address = access.get_address_for(actor_for_request(request), address_id)
    except Problem as problem:
        return render(request, "problem.html", {"problem": problem}, status=problem.status)
    profile_actions.delete_address(address=address)
    messages.success(request, _("Address removed."))
    if request.htmx:
        return _addresses_page(request, AddressForm())
    return redirect("storefront:addresses")


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_page(request):
    user = request.user
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    context: dict = {"form": form, "enabled": mfa.has_mfa(user)}
    try:
        if request.method == "POST" and action == "confirm" and form.is_valid():
            enabled = mfa.confirm_totp_setup(user=user, code=form.cleaned_data["code"])
            mark_mfa_verified(request, enabled.device)
            return render(request, "storefront/backup_codes.html", {"codes": enabled.backup_codes})
        if request.method == "POST" and action in {"regenerate", "disable"} and form.is_valid():
            if mfa.verify_second_factor(user=user, code=form.cleaned_data["code"]) is None:
                form.add_error("code", _("That code is not correct or was already used."))
            elif action == "regenerate":
                return render(request, "storefront/backup_codes.html",
                              {"codes": mfa.issue_backup_codes(user=user)})
            else:
                mfa.disable_mfa(user=user)
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("storefront:mfa")
    except Problem as problem:
        add_problem(form, problem)
    if not context["enabled"]:
        device = mfa.pending_device(user) if request.method == "POST" else None
        device = device or mfa.start_totp_setup(user=user)
        context.update(secret=b32encode(device.bin_key).decode(), qr_svg=_qr_svg(device.config_url))
    context["staff_needs_mfa"] = user.is_staff and not user.is_verified()
    return render(request, "storefront/mfa.html", context, status=422 if form.errors else 200)
