"""Upstream Rasa code our extension points rely on without replacing it (issue 16).

Each entry says what we rely on; a Rasa upgrade that changes one of these functions fails
here, so the behaviour is re-checked before it can change silently. Update a hash only
after reading the new upstream code against the reason given.
"""

from __future__ import annotations

import hashlib
import inspect

import pytest
from rasa.core import agent, run
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore, TrackerStore
from rasa.utils.endpoints import EndpointConfig

from bot import serve

RELIED_ON = {
    # bot/tracker_store.py: StoreUnavailable (a BaseException) passes through these
    # `except Exception` wrappers instead of becoming an empty in-memory tracker.
    "FailSafeTrackerStore.retrieve": (FailSafeTrackerStore.retrieve,
                                      "35d77318b0cc79771af3c667bc8c34cd5a56e494eaa8c4d713fd754b9d00d276"),
    "FailSafeTrackerStore.save": (FailSafeTrackerStore.save,
                                  "8426dc08f58d71102f7c031ade8a26b0b1458c8bae162be7b091d288699a5e9b"),
    "FailSafeTrackerStore.retrieve_full_tracker": (FailSafeTrackerStore.retrieve_full_tracker,
                                                   "5272a6be0919b511c874fde07a8666777d09f5a11ba29e66f1f923f5ef85e2a0"),
    # ...and a new conversation is created and saved through these public methods.
    "TrackerStore.get_or_create_tracker": (TrackerStore.get_or_create_tracker,
                                           "0b08ab42bd97ab214fa75f108e1881ad6df8791ff7d2a82e15aaf753f75a4612"),
    "TrackerStore.create_tracker": (TrackerStore.create_tracker,
                                    "72f79c53bf4f3f9650a5b430ff4df92b62353a8ae6e424055a6c5d208d64ba4d"),
    # bot/tracker_store.py builds on SQLTrackerStore's table (SQLEvent, Base) without its __init__.
    "SQLTrackerStore.__init__": (SQLTrackerStore.__init__,
                                 "64e704d159dfa35b86175cccdc9d08b05cbf91b2e0779bccf115671106ad9314"),
    # bot/action_endpoint.py: a failed custom action is logged and the turn carries on.
    "MessageProcessor._run_action": (MessageProcessor._run_action,
                                     "6d383d0179ef1187639887289168959a5a82f94e6949e4e27bb83b2165094995"),
    # bot/rasa_patches.py (parse_message off the loop) runs this on the text thread.
    "MessageProcessor._parse_message_with_graph": (MessageProcessor._parse_message_with_graph,
                                                   "0bd50a53b5c013af8458cbefe5dbcbd5c02c82a671a841b1947b3e8964e5c3d1"),
    # bot/action_endpoint.py: RemoteAction calls endpoint.request(timeout=...), turning
    # aiohttp connection errors into RasaException.
    "RemoteAction.run": (RemoteAction.run, "ccabf6f1160d527a157fad5bd285ce69e8221b1bcad23f8a61499b4360a1c17e"),
    "EndpointConfig.__init__": (EndpointConfig.__init__,
                                "07e0715d80d8e8808313348342acc168d607c1161951f0ccc016aa822d431ce6"),
    "EndpointConfig.request": (EndpointConfig.request,
                               "ccdb778aed8208e23cde3c3f47eac7fbbbb735dac8f7ef7254d54451c64ad608"),
    # bot/serve.py does what serve_application does, with our endpoints, CORS and middleware.
    "rasa.core.run.configure_app": (run.configure_app,
                                    "72da30416f74c6488a1bbdae9878467bdc7ecd6b5a46b336220aadafd8b2f41a"),
    "rasa.core.run.serve_application": (run.serve_application,
                                        "fa80588d9e008b67948290d1da64c97fbab5a1a8069b880c18cc3c8399ef9c2b"),
    "rasa.core.run.load_agent_on_start": (run.load_agent_on_start,
                                          "b23e12447febeb64dfe0e78f545c37affae1059858280485b1094707a2704214"),
    # ...and the agent takes the action endpoint object it is given.
    "rasa.core.agent.load_agent": (agent.load_agent,
                                   "abc2a4cb13cbbd2b630bab929d3a13c3732cfa3f2384b535787cf4d8c615545a"),
    # bot/channels/gateway.py: the conversation lock is released however the turn ends.
    "Agent.handle_message": (Agent.handle_message, "ba53507e4d5532a38d3615aa1968deba6a8086e4fb9601b1526749b132c06308"),
}


@pytest.mark.parametrize("name", sorted(RELIED_ON))
def test_upstream_code_we_rely_on_is_unchanged(name):
    fn, expected = RELIED_ON[name]
    assert hashlib.sha256(inspect.getsource(fn).encode()).hexdigest() == expected, \
        f"{name} changed upstream: re-check what bot/ relies on (see the comment above its entry)"


def test_the_installed_rasa_is_the_pinned_release():
    serve.check_versions()


def test_a_version_change_is_caught_with_a_clear_message(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("rasa==3.6.21\nrasa-sdk==3.6.2\n", encoding="utf-8")
    serve.check_versions({"rasa": "3.6.21", "rasa-sdk": "3.6.2"}, lock)
    with pytest.raises(serve.LaunchError, match=r"rasa 3\.6\.20 is installed, but requirements\.lock pins 3\.6\.21"):
        serve.check_versions({"rasa": "3.6.20", "rasa-sdk": "3.6.2"}, lock)
    with pytest.raises(serve.LaunchError, match=r"rasa-sdk 3\.7\.0"):
        serve.check_versions({"rasa": "3.6.21", "rasa-sdk": "3.7.0"}, lock)
