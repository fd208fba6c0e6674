/* Video inspection call (templates/inspections/video/call.html). Configuration comes from
   the json_script "call-config" (inspections.video.views.call_page).
   - Signalling: the call websocket (inspections/video/consumers.py). A newcomer offers to
     everyone already there ("here"); those answer. One RTCPeerConnection per participant.
   - Inspectors: walk the checklist (an "item" message shows it on both sides), record
     results and snapshots through the task API, record the call with MediaRecorder
     (WebM, 2 s slices uploaded as they come, retried; finishing waits for every slice).
   - Applicant side: reports the browser position (navigator.geolocation) to the server,
     which forwards it to the inspectors in the call. */
(function () {
  "use strict";
  var root = document.querySelector("[data-call]");
  var configEl = document.getElementById("call-config");
  if (!root || !configEl) return;
  var cfg = JSON.parse(configEl.textContent);
  var csrf = (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var $ = function (sel) { return root.querySelector(sel); };
  var statusEl = $("[data-call-status]");
  var localVideo = $("[data-local-video]");
  var remoteBox = $("[data-remote-videos]");
  var localStream = null, ws = null, selfId = null, closing = false;
  var peers = {};  // participant id -> {pc, video, info}
  var current = null;  // the item being walked
  var applicantPosition = null;

  function say(text) { statusEl.textContent = text; }
  function url(template, a, b) {
    var parts = template.split("/0/");
    if (b === undefined) return parts[0] + "/" + a + "/" + parts.slice(1).join("/0/");
    return parts[0] + "/" + a + "/" + parts[1] + "/" + b + "/" + parts.slice(2).join("/0/");
  }
  function post(path, body, json) {
    var headers = {"X-CSRFToken": csrf, "Accept": "application/json"};
    if (json) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(path, {method: "POST", body: body, headers: headers, credentials: "same-origin"})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { var e = new Error(data.detail || ("HTTP " + r.status)); e.data = data; throw e; }
          return data;
        });
      });
  }
  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  // ---------------------------------------------------------------- peers
  function peerFor(info) {
    if (peers[info.id]) return peers[info.id];
    var pc = new RTCPeerConnection({iceServers: cfg.iceServers});
    var video = document.createElement("video");
    video.autoplay = true; video.playsInline = true;
    video.dataset.peer = info.id; video.dataset.role = info.role;
    video.title = info.name;
    remoteBox.appendChild(video);
    if (localStream) localStream.getTracks().forEach(function (t) { pc.addTrack(t, localStream); });
    pc.onicecandidate = function (e) {
      if (e.candidate) send({type: "ice", to: info.id, payload: e.candidate.toJSON()});
    };
    pc.ontrack = function (e) { video.srcObject = e.streams[0]; say("已连线：" + info.name); };
    peers[info.id] = {pc: pc, video: video, info: info};
    return peers[info.id];
  }
  function dropPeer(id) {
    var p = peers[id];
    if (!p) return;
    p.pc.close(); p.video.remove(); delete peers[id];
  }
  function offerTo(info) {
    var p = peerFor(info);
    p.pc.createOffer().then(function (o) { return p.pc.setLocalDescription(o); })
      .then(function () { send({type: "offer", to: info.id, payload: p.pc.localDescription.toJSON()}); });
  }

  function onMessage(m) {
    if (m.type === "welcome") { selfId = m.self.id; say("已加入，等待对方…"); }
    else if (m.type === "presence") {
      if (m.event === "here") offerTo(m.participant);        // we are new: we offer
      else if (m.event === "join") peerFor(m.participant);   // they are new: they offer
      else if (m.event === "leave") { dropPeer(m.participant.id); say(m.participant.name + " 已离开"); }
    } else if (m.type === "offer") {
      var p = peerFor(m.from);
      p.pc.setRemoteDescription(m.payload)
        .then(function () { return p.pc.createAnswer(); })
        .then(function (a) { return p.pc.setLocalDescription(a); })
        .then(function () { send({type: "answer", to: m.from.id, payload: p.pc.localDescription.toJSON()}); });
    } else if (m.type === "answer") {
      if (peers[m.from.id]) peers[m.from.id].pc.setRemoteDescription(m.payload);
    } else if (m.type === "ice") {
      if (peers[m.from.id] && m.payload.candidate) peers[m.from.id].pc.addIceCandidate(m.payload);
    } else if (m.type === "item") { showItem(m.item); }
    else if (m.type === "location") { showLocation(m); }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + cfg.websocket);
    ws.onmessage = function (e) { onMessage(JSON.parse(e.data)); };
    ws.onclose = function (e) {
      Object.keys(peers).forEach(dropPeer);
      if (closing) return;
      if (e.code >= 4400 && e.code < 4500) { say("无法加入视频勘验（" + e.code + "），请返回勘验任务页。"); return; }
      say("连接中断，正在重新连接…");
      setTimeout(connect, 2000);  // a dropped call is rejoined
    };
  }

  // ---------------------------------------------------------------- checklist
  function showItem(item) {
    current = item;
    var box = $("[data-current-item]");
    box.hidden = false;
    $("[data-item-title]").textContent = item.order + ". " + item.title + (item.veto ? "（否决项）" : "");
    $("[data-item-requirement]").textContent = item.requirement;
    $("[data-item-method]").textContent = item.method;
    var fb = $("[data-item-feedback]");
    if (fb) fb.textContent = item.result ? "已记录：" + ({pass: "符合", fail: "不符合", na: "不适用"}[item.result] || "") : "";
  }
  function feedback(text) { var fb = $("[data-item-feedback]"); if (fb) fb.textContent = text; }

  function bindInspector() {
    root.querySelectorAll("[data-walk-item]").forEach(function (b) {
      b.addEventListener("click", function () { send({type: "item", item: Number(b.dataset.walkItem)}); });
    });
    root.querySelectorAll("[data-result]").forEach(function (b) {
      b.addEventListener("click", function () {
        if (!current) return;
        post(url(cfg.urls.result, current.id), {result: b.dataset.result,
              comment: $("[data-item-comment]").value}, true)
          .then(function (item) { current.result = item.result; send({type: "item", item: current.id});
                                  feedback("已记录：" + b.textContent); })
          .catch(function (e) { feedback(e.message); });
      });
    });
    var start = $("[data-start-inspection]");
    if (start) start.addEventListener("click", function () {
      post(cfg.urls.start, null).then(function () { start.hidden = true; say("勘验已开始"); })
        .catch(function (e) { say(e.message); });
    });
    $("[data-snapshot]").addEventListener("click", snapshot);
    $("[data-record-start]").addEventListener("click", recordStart);
    $("[data-record-stop]").addEventListener("click", recordStop);
  }

  function mainRemoteVideo() {
    var ids = Object.keys(peers);
    for (var i = 0; i < ids.length; i++) if (peers[ids[i]].info.role === "applicant") return peers[ids[i]].video;
    return ids.length ? peers[ids[0]].video : localVideo;
  }

  function snapshot() {
    if (!current) { feedback("请先选择勘验项目。"); return; }
    var video = mainRemoteVideo();
    if (!video.videoWidth) { feedback("尚无视频画面。"); return; }
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    var capturedAt = new Date().toISOString();
    canvas.toBlob(function (blob) {
      var form = new FormData();
      form.append("file", blob, "snapshot-" + capturedAt.replace(/[:.]/g, "") + ".png");
      form.append("captured_at", capturedAt);
      if (applicantPosition) {  // where the camera is: the applicant side's last position
        form.append("latitude", applicantPosition.latitude);
        form.append("longitude", applicantPosition.longitude);
        if (applicantPosition.accuracy_m !== null) form.append("accuracy_m", applicantPosition.accuracy_m);
      }
      post(url(cfg.urls.evidence, current.id), form)
        .then(function (ev) { feedback("已截图取证（SHA-256 " + ev.sha256.slice(0, 12) + "…）"); })
        .catch(function (e) { feedback(e.message); });
    }, "image/png");
  }

  function showLocation(m) {
    applicantPosition = m;
    var el = $("[data-applicant-location]");
    if (el) el.textContent = m.latitude + ", " + m.longitude +
      (m.accuracy_m !== null ? " ±" + m.accuracy_m + " m" : "") + "（" + new Date(m.received_at).toLocaleTimeString() + "）";
  }

  // ---------------------------------------------------------------- recording
  var recorder = null, recording = null, seq = 0, queue = Promise.resolve(), failed = 0;
  function recStatus(text) { $("[data-record-status]").textContent = text; }

  function upload(id, n, blob, attempt) {
    var form = new FormData();
    form.append("file", blob, n + ".webm");
    return post(url(cfg.urls.chunk, id, n), form).catch(function (e) {
      if (attempt >= 5 || (e.data && e.data.code)) { failed++; recStatus("第 " + n + " 段上传失败：" + e.message); return; }
      return new Promise(function (r) { setTimeout(r, 1000 * (attempt + 1)); })
        .then(function () { return upload(id, n, blob, attempt + 1); });
    });
  }

  function recordStart() {
    var stream = mainRemoteVideo().srcObject || localStream;
    if (!stream || typeof MediaRecorder === "undefined") { recStatus("此浏览器不支持录制。"); return; }
    post(cfg.urls.recordings, null).then(function (rec) {
      recording = rec; seq = 0; failed = 0;
      recorder = new MediaRecorder(stream, {mimeType: "video/webm"});
      recorder.ondataavailable = function (e) {
        if (!e.data || !e.data.size) return;
        var n = seq++, id = recording.id;
        queue = queue.then(function () { return upload(id, n, e.data, 0); });
        recStatus("录制中… 已上传 " + n + " 段");
      };
      recorder.onstop = function () {
        var id = recording.id, total = seq;
        queue.then(function () { return post(url(cfg.urls.finish, id), {expected_chunks: total}, true); })
          .then(function (r) { recStatus("录像已保存，SHA-256 " + r.sha256); })
          .catch(function (e) { recStatus("录像保存失败：" + e.message); });
      };
      recorder.start(2000);
      $("[data-record-start]").hidden = true; $("[data-record-stop]").hidden = false;
      recStatus("录制中…");
    }).catch(function (e) { recStatus(e.message); });
  }
  function recordStop() {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    $("[data-record-start]").hidden = false; $("[data-record-stop]").hidden = true;
  }

  // ---------------------------------------------------------------- applicant position
  function reportPosition() {
    if (!("geolocation" in navigator)) return;
    var statusBox = $("[data-location-status]"), last = 0;
    navigator.geolocation.watchPosition(function (p) {
      if (Date.now() - last < 30000) return;  // at most every 30 s
      last = Date.now();
      post(cfg.urls.location, {latitude: Number(p.coords.latitude.toFixed(6)),
                               longitude: Number(p.coords.longitude.toFixed(6)),
                               accuracy_m: Math.round(p.coords.accuracy),
                               captured_at: new Date(p.timestamp).toISOString()}, true)
        .then(function () { statusBox.textContent = "已上报位置 ±" + Math.round(p.coords.accuracy) + " m"; })
        .catch(function (e) { statusBox.textContent = e.message; });
    }, function () { statusBox.textContent = "未能获取位置，请允许浏览器定位。"; },
    {enableHighAccuracy: true, maximumAge: 10000});
  }

  // ---------------------------------------------------------------- go
  window.addEventListener("pagehide", function () { closing = true; recordStop(); });
  if (cfg.role === "inspector") bindInspector(); else reportPosition();
  navigator.mediaDevices.getUserMedia({video: true, audio: true})
    .then(function (stream) { localStream = stream; localVideo.srcObject = stream; })
    .catch(function () { say("无法使用摄像头或麦克风，仅接收对方画面。"); })
    .then(connect);
})();
