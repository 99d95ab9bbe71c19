// The training pack page's player, inlined into index.html by bwvreview.app.pack_html.
// Only the clips and captions beside the page are loaded, by relative path.
(function(){
  var pack = JSON.parse(document.getElementById('pack-data').textContent);
  var video = document.getElementById('player');
  var index = 0, played = 0, trackEl = null, fallback = null;
  function el(id){return document.getElementById(id);}
  function text(id, value){el(id).textContent = value || '';}
  function report(){
    var cues = 0;
    for (var t = 0; t < video.textTracks.length; t++) {
      var tt = video.textTracks[t];
      if (tt.mode === 'showing' && tt.cues) cues = Math.max(cues, tt.cues.length);
    }
    el('state').textContent = JSON.stringify({clip: index + 1, clips: pack.clips.length,
      readyState: video.readyState, currentTime: video.currentTime, duration: video.duration,
      paused: video.paused, played: played, error: video.error ? video.error.code : null,
      cues: cues, track: trackEl ? trackEl.readyState : null, fallback: !!(fallback && fallback.mode === 'showing')});
    text('position', 'Clip ' + (index + 1) + ' of ' + pack.clips.length);
  }
  function clearFallback(){
    if (!fallback) return;
    while (fallback.cues && fallback.cues.length) fallback.removeCue(fallback.cues[0]);
    fallback.mode = 'disabled';
  }
  function captionsFallback(clip){
    // A browser that will not read a caption file from disk (Chromium treats each file: URL
    // as its own origin) gets the same cues from the page's data.
    if (!fallback) fallback = video.addTextTrack('captions', 'Captions', 'en');
    clearFallback();
    clip.cues.forEach(function(c){fallback.addCue(new VTTCue(c.start_ms/1000, c.end_ms/1000, c.text));});
    fallback.mode = 'showing';
  }
  function show(i){
    index = Math.max(0, Math.min(pack.clips.length - 1, i));
    var clip = pack.clips[index];
    while (video.firstChild) video.removeChild(video.firstChild);
    clearFallback();
    video.src = clip.file;
    var track = trackEl = document.createElement('track');
    track.kind = 'captions'; track.label = 'Captions'; track.srclang = 'en';
    track.src = clip.captions; track['default'] = !clip.captions_burned_in;
    track.addEventListener('error', function(){
      if (!clip.captions_burned_in) captionsFallback(clip);
      report();
    });
    track.addEventListener('load', report);
    video.appendChild(track);
    video.load();
    text('title', (index + 1) + '. ' + clip.category_label);
    var chips = el('chips'); chips.innerHTML = '';
    var polarity = document.createElement('span');
    polarity.className = 'chip ' + clip.polarity; polarity.textContent = pack.polarity[clip.polarity] || clip.polarity;
    chips.appendChild(polarity);
    clip.principles.forEach(function(p){
      var chip = document.createElement('span'); chip.className = 'chip';
      chip.textContent = p.charAt(0).toUpperCase() + p.slice(1); chips.appendChild(chip);});
    text('learning', clip.learning_point);
    el('wording-box').hidden = !clip.suggested_wording; text('wording', clip.suggested_wording);
    el('notes-box').hidden = !clip.facilitator_notes; text('notes', clip.facilitator_notes);
    var prompts = el('prompts'); prompts.innerHTML = '';
    clip.prompts.forEach(function(p){var li = document.createElement('li'); li.textContent = p; prompts.appendChild(li);});
    el('prompts-box').hidden = !clip.prompts.length;
    el('override').hidden = !clip.overridden;
    el('prev').disabled = index === 0; el('next').disabled = index === pack.clips.length - 1;
    Array.prototype.forEach.call(el('list').children, function(li, n){li.className = n === index ? 'current' : '';});
    report();
  }
  el('prev').addEventListener('click', function(){show(index - 1);});
  el('next').addEventListener('click', function(){show(index + 1);});
  pack.clips.forEach(function(clip, n){
    var li = document.createElement('li'), a = document.createElement('a');
    a.href = '#clip-' + (n + 1); a.textContent = clip.category_label;
    a.addEventListener('click', function(e){e.preventDefault(); show(n);});
    li.appendChild(a); el('list').appendChild(li);});
  ['loadedmetadata','canplay','playing','pause','timeupdate','ended','error'].forEach(function(name){
    video.addEventListener(name, function(){ if (name === 'timeupdate' && !video.paused) played = Math.max(played, video.currentTime); report();});});
  video.addEventListener('ended', function(){ if (index < pack.clips.length - 1) el('next').focus(); });
  document.addEventListener('keydown', function(e){
    if (e.target.tagName === 'VIDEO') return;
    if (e.key === 'ArrowRight' && index < pack.clips.length - 1) show(index + 1);
    if (e.key === 'ArrowLeft' && index > 0) show(index - 1);});
  show(0);
  if (location.hash === '#autoplay') {
    video.muted = true;
    var start = function(){ var p = video.play(); if (p && p.catch) p.catch(function(err){el('state').setAttribute('data-play-error', String(err));}); };
    if (video.readyState >= 2) start(); else video.addEventListener('canplay', start, {once: true});
  }
})();
