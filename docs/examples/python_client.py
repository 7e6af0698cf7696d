# Python 3, standard library only: stream an answer from POST /api/stream/stream-conversation.
#   STUDYGURU_BASE_URL=http://localhost:8000 STUDYGURU_TOKEN=... python3 python_client.py "What is 2+2?"
import json
import os
import sys
import urllib.error
import urllib.request

base_url = os.environ.get("STUDYGURU_BASE_URL", "http://localhost:8000")
token = os.environ["STUDYGURU_TOKEN"]
message = sys.argv[1] if len(sys.argv) > 1 else "What is 2+2?"

request = urllib.request.Request(
    f"{base_url}/api/stream/stream-conversation",
    data=json.dumps({"message": message, "max_tokens": 300}).encode(),
    headers={
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    },
    method="POST",
)
try:
    response = urllib.request.urlopen(request, timeout=120)
except urllib.error.HTTPError as refused:  # 400, 401, 402, 409, 429...: application/problem+json
    problem = json.load(refused)
    sys.exit(f"refused: {refused.code} {problem.get('title')} {problem.get('detail') or problem.get('errors')}")

data = ""
with response:
    for raw in response:  # the response reads whole lines, however the bytes arrive
        line = raw.decode("utf-8").rstrip("\r\n")
        if line.startswith("data: "):
            data += line[6:]
        elif line == "" and data:
            event = json.loads(data)
            data = ""
            if event["type"] == "token":
                print(event["content"], end="", flush=True)
            elif event["type"] == "metadata":
                print(f"[generation {event['generation_id']}]")
            else:
                print(f"\n{event['type']}: {json.dumps(event)}")
                if event["type"] == "error":
                    sys.exit(1)
