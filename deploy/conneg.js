// Content negotiation for deploy/run-nginx: the same rules as the service's
// (service/vawmw/web/negotiation.py): Accept read up to 64 ranges and 4096 characters, q-values
// clamped to [0, 1] (a bad q counts as 0), the most specific matching range gives an offer its q
// (aliases match exactly only), the highest q wins and ties go to the server's order; no Accept
// means the first offer; nothing acceptable is 406. ?format= (a name, extension or media type)
// overrides Accept, as on the service.
//
// The formats come from the release (site/formats.json, written by `vawmw build` from
// vawmw.rdf.formats): run-nginx makes formats.js of it, so nothing here can drift from the service.
import FORMATS from 'formats.js';

var OFFERS = FORMATS.resource;
var PARAM_ALIASES = FORMATS.params;
var TEXT_TYPE = 'text/plain; charset=utf-8';  // the 406's, as on the service
var MAX_RANGES = 64;
var MAX_CHARS = 4096;
var SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$/;
var CONTEXT_REL = 'http://www.w3.org/ns/json-ld#context';

function parseAccept(header) {
    if (header.length > MAX_CHARS) {
        header = header.slice(0, MAX_CHARS);
        header = header.slice(0, Math.max(header.lastIndexOf(','), 0));
    }
    var ranges = [];
    var elements = header.split(',').slice(0, MAX_RANGES);
    for (var i = 0; i < elements.length; i++) {
        var parts = elements[i].split(';').map(function (p) { return p.trim(); });
        var full = parts[0].toLowerCase();
        var slash = full.indexOf('/');
        if (slash <= 0 || slash === full.length - 1) { continue; }
        var q = 1.0;
        for (var j = 1; j < parts.length; j++) {
            var eq = parts[j].indexOf('=');
            var key = (eq < 0 ? parts[j] : parts[j].slice(0, eq)).trim().toLowerCase();
            if (key === 'q') {
                var text = eq < 0 ? '' : parts[j].slice(eq + 1).trim();
                q = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? parseFloat(text) : 0;
                q = Math.min(Math.max(q, 0), 1);
            }
        }
        ranges.push({type: full.slice(0, slash).trim(), sub: full.slice(slash + 1).trim(), q: q});
    }
    return ranges;
}

function specificity(range, mediaType) {
    var slash = mediaType.indexOf('/');
    var type = mediaType.slice(0, slash);
    var sub = mediaType.slice(slash + 1);
    if (range.type === '*' && range.sub === '*') { return 1; }
    if (range.type !== type) { return 0; }
    if (range.sub === '*') { return 2; }
    return range.sub === sub ? 3 : 0;
}

function quality(ranges, offer) {
    var bestSpec = 0;
    var bestQ = 0;
    var types = [offer.type].concat(offer.aliases);
    for (var t = 0; t < types.length; t++) {
        for (var i = 0; i < ranges.length; i++) {
            var s = specificity(ranges[i], types[t]);
            if (t > 0 && s < 3) { continue; }
            if (s > bestSpec || (s === bestSpec && s && ranges[i].q > bestQ)) {
                bestSpec = s;
                bestQ = ranges[i].q;
            }
        }
    }
    return bestQ;
}

function negotiate(accept, offers) {
    var ranges = accept ? parseAccept(accept) : [];
    if (!ranges.length) { return offers[0]; }
    var best = null;
    var bestQ = 0;
    for (var i = 0; i < offers.length; i++) {
        var q = quality(ranges, offers[i]);
        if (q > bestQ) { best = offers[i]; bestQ = q; }
    }
    return best;
}

function fromParam(value, offers) {
    var wanted = value.trim().toLowerCase();
    for (var i = 0; i < offers.length; i++) {
        if ([offers[i].type].concat(offers[i].aliases).indexOf(wanted) >= 0) { return offers[i]; }
    }
    var name = PARAM_ALIASES[wanted] || wanted;
    return byName(name, offers);
}

function byName(name, offers) {
    for (var k = 0; k < offers.length; k++) {
        if (offers[k].name === name) { return offers[k]; }
    }
    return null;
}

function named(names) {
    return names.map(function (n) { return byName(n, OFFERS); });
}

function rawPath(r) {
    var uri = r.variables.request_uri || '';
    var q = uri.indexOf('?');
    return q < 0 ? uri : uri.slice(0, q);
}

function chosen(r) {
    var requested = r.args.format;
    if (requested !== undefined) {
        return fromParam(Array.isArray(requested) ? requested[0] : requested, OFFERS);
    }
    return negotiate(r.headersIn.Accept || '', OFFERS);
}

// $ld_file: the document's file under ld/ as served ("/id/state/PHL.ttl"; stored with
// FORMATS.compressed appended, nginx's gzip_static convention), "406" when no format fits, or ""
// when the path cannot name a file (then the upstream, if any, answers).
function file(r) {
    var path = rawPath(r);
    var segments = path.slice(1).split('/');
    for (var i = 0; i < segments.length; i++) {
        var s = segments[i];
        if (!SEGMENT.test(s) || s === '.' || s === '..') { return ''; }
    }
    var fmt = chosen(r);
    return fmt ? path + '.' + fmt.file : '406';
}

// $ld_type: the Content-Type of the format negotiated (the service's, charset included): the
// file's extension cannot say it, as N-Quads is served from the N-Triples file.
function type(r) {
    var fmt = chosen(r);
    return fmt ? fmt.content_type : TEXT_TYPE;
}

// $ld_message: the 406 message of the service.
function message(r) {
    return FORMATS.message;
}

// $ld_link: the Link header of the service's linked-data answers.
function link(r) {
    var path = rawPath(r).replace(/[<>"\s]/g, '');
    var links = OFFERS.map(function (f) {
        return '<' + path + '>; rel="alternate"; type="' + f.type + '"';
    });
    var fmt = chosen(r);
    var accept = (r.headersIn.Accept || '').toLowerCase();
    if (fmt && fmt.name === 'jsonld' && accept.indexOf('application/ld+json') < 0) {
        links.push('</context.jsonld>; rel="' + CONTEXT_REL + '"; type="application/ld+json"');
    }
    return links.join(', ');
}

// The offers of the home page, the VoID and the listings (web/routes/pages.py _HOME_OFFERS,
// web/routes/release.py _VOID_FORMATS and _LISTING_FORMATS; tests/deploy checks them).
var HOME = ['html', 'turtle', 'ntriples', 'jsonld', 'rdfxml'];
var VOID = ['turtle', 'jsonld', 'ntriples', 'rdfxml'];
var JSON_DOC = {name: 'jsondoc', type: 'application/json', aliases: [], file: 'json'};

// $home_file: the home page for a browser, "303" for an RDF client (sent to the VoID).
function home(r) {
    var fmt = negotiate(r.headersIn.Accept || '', named(HOME));
    return fmt && fmt.name !== 'html' ? '303' : '/home.html';
}

// $void_file: /.well-known/void in the format asked for, or "406".
function voidFile(r) {
    var fmt = negotiate(r.headersIn.Accept || '', named(VOID));
    return fmt ? '/void.' + fmt.file : '406';
}

// $listing_ext: /queries and /dumps/ as JSON or HTML, or "406".
function listing(r) {
    var fmt = negotiate(r.headersIn.Accept || '', [JSON_DOC, byName('html', OFFERS)]);
    return fmt ? fmt.file : '406';
}

export default {file, type, message, link, home, voidFile, listing, negotiate, parseAccept};
