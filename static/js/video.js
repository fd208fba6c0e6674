/* Video inspection call (templates/inspections/video/call.html). Configuration comes from
   the json_script "call-config" (inspections.video.views.call_page).
   - Signalling: the call websocket (inspections/video/consumers.py). A newcomer learns who
     is there ("here"), those there learn of it ("join"); of each pair, the participant
     with the smaller id makes the offer, so two people joining at once never both offer.
     One RTCPeerConnection per participant. A dropped socket is rejoined (new id, new
     connections); a refusal or an ended call (close codes 44xx) is not.
   - Inspectors: walk the checklist (an "item" message shows it on both sides), record
     results and snapshots through the task API, record the call with MediaRecorder
     (WebM, 2 s slices uploaded as they come, retried; finishing waits for every slice).
   - Applicant side: reports the browser position (navigator.geolocation) to the server,
     which forwards it to the inspectors in the call with the distance to the premises. */
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
  var peers = {};  // participant id -> {pc, video, info, offered, candidates}
  var current = null;  // the item being walked
  var applicantPosition = null;
  var RECORD_TYPES = ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm"];

  function say(text) { statusEl.textContent = text; }
  // The URLs come reversed with 0 for each id ("/api/v1/inspection-recordings/0/chunks/0/");
  // the ids replace those path segments in order.
  function url(template) {
    var ids = Array.prototype.slice.call(arguments, 1), i = 0;
    return template.replace(/\/0(?=\/)/g, function (zero) {
      return i < ids.length ? "/" + encodeURIComponent(ids[i++]) : zero;
    });
  }
  // The hidden attribute alone does not hide a .btn (its display is set by the stylesheet).
  function setHidden(el, hidden) {
    if (!el) return;
    el.hidden = hidden;
    el.style.display = hidden ? "none" : "";
  }
  function post(path, body, json) {
    var headers = {"X-CSRFToken": csrf, "Accept": "application/json"};
    if (json) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
    return fetch(path, {method: "POST", body: body, headers: headers, credentials: "same-origin"})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { var e = new Error(data.detail || ("HTTP " + r.status)); e.data = data; e.status = r.status; throw e; }
          return data;
        });
      });
  }
  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }
  function warn(e) { if (window.console) console.warn("video call:", e); }

  // ---------------------------------------------------------------- peers
  function play(video) {
    var p = video.play();
    if (p && p.catch) p.catch(function () {
      // autoplay with sound refused until the user interacts: play muted, unmute on a click
      video.muted = true;
      video.play().catch(warn);
      say("已连线（静音播放），点击画面开启声音。");
      video.addEventListener("click", function () { video.muted = false; video.play().catch(warn); },
                             {once: true});
    });
  }
  function peerFor(info) {
    if (peers[info.id]) return peers[info.id];
    var pc = new RTCPeerConnection({iceServers: cfg.iceServers || []});
    var video = document.createElement("video");
    video.autoplay = true; video.playsInline = true;
    video.dataset.peer = info.id; video.dataset.role = info.role;
    video.title = info.name;
    remoteBox.appendChild(video);
    if (localStream) localStream.getTracks().forEach(function (t) { pc.addTrack(t, localStream); });
    else {  // no camera here: still receive the other side's
      pc.addTransceiver("audio", {direction: "recvonly"});
      pc.addTransceiver("video", {direction: "recvonly"});
    }
    var p = {pc: pc, video: video, info: info, offered: false, candidates: []};
    pc.onicecandidate = function (e) {
      if (e.candidate) send({type: "ice", to: info.id, payload: e.candidate.toJSON()});
    };
    pc.ontrack = function (e) {
      var stream = e.streams[0];
      if (!stream) {
        stream = video.srcObject || new MediaStream();
        stream.addTrack(e.track);
      }
      if (video.srcObject !== stream) { video.srcObject = stream; play(video); }
      say("已连线：" + info.name);
    };
    pc.onconnectionstatechange = function () {
      if (pc.connectionState === "failed") say("与 " + info.name + " 的音视频连接失败，请检查网络后刷新页面。");
    };
    peers[info.id] = p;
    return p;
  }
  function dropPeer(id) {
    var p = peers[id];
    if (!p) return;
    if (recorder && recorder.stream === p.video.srcObject) {
      recordStop();
      recStatus("对方已离开，录制已结束。");
    }
    p.pc.close(); p.video.remove(); delete peers[id];
  }
  function meet(info) {  // a participant we learnt of (join or here)
    var p = peerFor(info);
    if (p.offered || !(selfId < info.id)) return;  // the smaller id offers
    p.offered = true;
    p.pc.createOffer().then(function (o) { return p.pc.setLocalDescription(o); })
      .then(function () { send({type: "offer", to: info.id, payload: p.pc.localDescription.toJSON()}); })
      .catch(warn);
  }
  function remoteDescription(p, description) {
    return p.pc.setRemoteDescription(description).then(function () {
      var pending = p.candidates; p.candidates = null;
      (pending || []).forEach(function (c) { p.pc.addIceCandidate(c).catch(warn); });
    });
  }

  function onMessage(m) {
    if (m.type === "welcome") { selfId = m.self.id; say("已加入，等待对方…"); }
    else if (m.type === "presence") {
      if (m.event === "here" || m.event === "join") meet(m.participant);
      else if (m.event === "leave") { dropPeer(m.participant.id); say(m.participant.name + " 已离开"); }
    } else if (m.type === "offer") {
      var p = peerFor(m.from);
      remoteDescription(p, m.payload)
        .then(function () { return p.pc.createAnswer(); })
        .then(function (a) { return p.pc.setLocalDescription(a); })
        .then(function () { send({type: "answer", to: m.from.id, payload: p.pc.localDescription.toJSON()}); })
        .catch(warn);
    } else if (m.type === "answer") {
      if (peers[m.from.id]) remoteDescription(peers[m.from.id], m.payload).catch(warn);
    } else if (m.type === "ice") {
      var q = peers[m.from.id];
      if (!q || !m.payload.candidate) return;
      if (q.candidates) q.candidates.push(m.payload);  // before the remote description
      else q.pc.addIceCandidate(m.payload).catch(warn);
    } else if (m.type === "item") { showItem(m.item); }
    else if (m.type === "location") { showLocation(m); }
    else if (m.type === "ended") {
      closing = true;
      recordStop();
      say("视频勘验已结束：" + m.label + (m.reason ? "（" + m.reason + "）" : "") +
          (m.resume_at ? "，改期至 " + new Date(m.resume_at).toLocaleString() : "") + "。");
    } else if (m.type === "error") { warn(m.code); }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = ws = new WebSocket(scheme + location.host + cfg.websocket);
    socket.onmessage = function (e) { if (ws === socket) onMessage(JSON.parse(e.data)); };
    socket.onclose = function (e) {
      if (ws !== socket) return;
      recordStop();  // the other side's stream ends with its connection: keep what was recorded
      Object.keys(peers).forEach(dropPeer);
      selfId = null;
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
        var item = current;
        post(url(cfg.urls.result, item.id), {result: b.dataset.result,
              comment: $("[data-item-comment]").value}, true)
          .then(function (saved) { item.result = saved.result; send({type: "item", item: item.id});
                                   feedback("已记录：" + b.textContent); })
          .catch(function (e) { feedback(e.message); });
      });
    });
    var start = $("[data-start-inspection]");
    if (start) setHidden(start, cfg.started || start.hidden);
    if (start) start.addEventListener("click", function () {
      post(cfg.urls.start, null).then(function () { setHidden(start, true); say("勘验已开始"); })
        .catch(function (e) { say(e.message); });
    });
    $("[data-snapshot]").addEventListener("click", snapshot);
    $("[data-record-start]").addEventListener("click", recordStart);
    $("[data-record-stop]").addEventListener("click", recordStop);
    recordButtons(false);
  }

  function mainRemoteVideo() {
    var ids = Object.keys(peers);
    for (var i = 0; i < ids.length; i++) if (peers[ids[i]].info.role === "applicant") return peers[ids[i]].video;
    return ids.length ? peers[ids[0]].video : localVideo;
  }

  function snapshot() {
    if (!current) { feedback("请先选择勘验项目。"); return; }
    var item = current, video = mainRemoteVideo();
    if (!video.videoWidth) { feedback("尚无视频画面。"); return; }
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    var capturedAt = new Date().toISOString(), position = applicantPosition;
    canvas.toBlob(function (blob) {
      if (!blob) { feedback("截图失败。"); return; }
      var form = new FormData();
      form.append("file", blob, "snapshot-" + capturedAt.replace(/[:.]/g, "") + ".png");
      form.append("captured_at", capturedAt);
      if (position) {  // where the camera is: the applicant side's last position
        form.append("latitude", position.latitude);
        form.append("longitude", position.longitude);
        if (position.accuracy_m != null) form.append("accuracy_m", position.accuracy_m);
      }
      post(url(cfg.urls.evidence, item.id), form)
        .then(function (ev) { feedback("已截图取证（SHA-256 " + ev.sha256.slice(0, 12) + "…）"); })
        .catch(function (e) { feedback(e.message); });
    }, "image/png");
  }

  function span(text, className) {
    var s = document.createElement("span");
    s.textContent = text;
    if (className) s.className = className;
    return s;
  }
  // The same as the server renders it: position ±accuracy, time, distance to the premises.
  function showLocation(m) {
    applicantPosition = m;
    var el = $("[data-applicant-location]");
    if (!el) return;
    var when = new Date(m.received_at);
    el.textContent = m.latitude + ", " + m.longitude +
      (m.accuracy_m != null ? " ±" + m.accuracy_m + " m" : "") + " ";
    if (!isNaN(when)) el.appendChild(span(when.toTimeString().slice(0, 8), "muted"));
    el.appendChild(document.createTextNode(" · "));
    if (m.distance_m != null) el.appendChild(span("距登记经营场所约 " + m.distance_m + " 米", m.off_premises ? "off-premises" : ""));
    else el.appendChild(span("登记经营场所未标注坐标", "muted"));
  }

  // ---------------------------------------------------------------- recording
  var recorder = null;
  function recStatus(text) { $("[data-record-status]").textContent = text; }
  function recordButtons(recording) {
    setHidden($("[data-record-start]"), recording);
    setHidden($("[data-record-stop]"), !recording);
  }
  function recordType() {
    for (var i = 0; i < RECORD_TYPES.length; i++) if (MediaRecorder.isTypeSupported(RECORD_TYPES[i])) return RECORD_TYPES[i];
    return null;
  }

  function upload(id, n, blob, attempt) {
    var form = new FormData();
    form.append("file", blob, n + ".webm");
    return post(url(cfg.urls.chunk, id, n), form).then(function () { return true; }, function (e) {
      if (attempt >= 5 || (e.data && e.data.code)) { recStatus("第 " + (n + 1) + " 段上传失败：" + e.message); return false; }
      return new Promise(function (r) { setTimeout(r, 1000 * (attempt + 1)); })
        .then(function () { return upload(id, n, blob, attempt + 1); });
    });
  }

  function recordStart() {
    if (recorder) return;
    var stream = mainRemoteVideo().srcObject || localStream;
    var type = typeof MediaRecorder === "undefined" ? null : recordType();
    if (!stream || !type) { recStatus("此浏览器不支持录制 WebM 视频，请使用新版 Chrome、Edge 或 Firefox。"); return; }
    var starting = $("[data-record-start]");
    starting.disabled = true;
    post(cfg.urls.recordings, null).then(function (rec) {
      // everything about this recording stays here: a later one cannot mix its slices in
      var seq = 0, uploaded = 0, queue = Promise.resolve(), rec_ = new MediaRecorder(stream, {mimeType: type});
      recorder = rec_;
      rec_.ondataavailable = function (e) {
        if (!e.data || !e.data.size) return;
        var n = seq++;
        queue = queue.then(function () { return upload(rec.id, n, e.data, 0); })
          .then(function (ok) { if (ok) uploaded++; if (recorder === rec_) recStatus("录制中… 已上传 " + uploaded + " 段"); });
      };
      rec_.onerror = function (e) { recStatus("录制出错：" + ((e.error && e.error.message) || "")); };
      rec_.onstop = function () {
        if (recorder === rec_) { recorder = null; recordButtons(false); }
        recStatus("正在保存录像…");
        queue.then(function () { return post(url(cfg.urls.finish, rec.id), {expected_chunks: seq}, true); })
          .then(function (r) { recStatus("录像已保存，SHA-256 " + r.sha256); })
          .catch(function (e) { recStatus("录像保存失败：" + e.message); });
      };
      rec_.start(2000);
      recordButtons(true);
      recStatus("录制中…");
    }).catch(function (e) { recStatus(e.message); })
      .then(function () { starting.disabled = false; });
  }
  function recordStop() {
    var r = recorder;
    recorder = null;
    if (r && r.state !== "inactive") r.stop();
    if (cfg.role === "inspector") recordButtons(false);
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
        .catch(function (e) { last = 0; statusBox.textContent = e.message; });
    }, function () { statusBox.textContent = "未能获取位置，请允许浏览器定位。"; },
    {enableHighAccuracy: true, maximumAge: 10000});
  }

  // ---------------------------------------------------------------- go
  window.addEventListener("pagehide", function () { closing = true; recordStop(); });
  if (cfg.location) applicantPosition = cfg.location;  // the last report, if the page has it
  if (cfg.role === "inspector") bindInspector(); else reportPosition();
  var media = navigator.mediaDevices && navigator.mediaDevices.getUserMedia ?
    navigator.mediaDevices.getUserMedia({video: true, audio: true}) :
    Promise.reject(new Error("no getUserMedia"));
  media.then(function (stream) { localStream = stream; localVideo.srcObject = stream; })
    .catch(function () { say("无法使用摄像头或麦克风，仅接收对方画面。"); })
    .then(connect);
})();
