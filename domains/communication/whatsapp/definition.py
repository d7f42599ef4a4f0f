"""The environment definition: id, description and state models."""

from __future__ import annotations

from envfactory_gym.authoring import EnvironmentDefinition

from .models import Base

env = EnvironmentDefinition(
    "whatsapp",
    domain="communication",
    models=Base,
    modeled_on="WhatsApp",
    description=(
        "A WhatsApp client logged in as one account (the owner). People are addressed by phone number in E.164 "
        "format (+ and country code, 8 to 15 digits, no spaces); a one-to-one chat's jid is the number without + "
        "followed by @s.whatsapp.net, a group's jid ends in @g.us. Messages can only go to numbers registered on "
        "WhatsApp (check_phone tells) or to groups the owner is still in. Limits: text 4096 characters, captions "
        "1024, push name 25, about 139, group subject 100, group description 2048, 1024 participants per group. "
        "Images must be JPEG, PNG or WebP up to 16 MB; documents up to 100 MB; attachments come from the phone's "
        "files. In a group only admins remove participants, and when the group's settings say so only admins "
        "add participants or edit the subject and description; nobody can remove the group's creator. A group's "
        "last admin who leaves hands admin to the longest-standing participant. A message can be deleted for "
        "everyone only by its sender and within 60 hours of sending; after that, or for other people's messages, "
        "it can only be deleted for me. Marking a message read also reads every earlier message in that chat. "
        "At most 3 chats are pinned; archiving a chat unpins it."
    ),
)
