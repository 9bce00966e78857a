// Package conformance is the engine that holds a WebSocket implementation
// to RFC 6455: it runs conformance cases against a peer over real
// connections and judges what the peer does with Autobahn|Testsuite's
// verdict rules, so results compare with published Autobahn reports.
//
// A [Case] is data plus a short script: what the runner sends
// ([Case.Open], written against the [Session] script API: raw frames with
// any bits, chopped and delayed writes, a Close with any body, timers),
// the events that earn each verdict ([Case.Expected]), how the connection
// must end ([Case.Close]) and, for the few cases that need them, rules of
// its own ([Case.Judge]). Cases that exchange big or many messages
// (Autobahn's category 9) take their messages with
// [Session.HandleMessages] instead of recording them, and set their
// verdict with [Session.SetBehavior]. Cases that offer permessage-deflate
// ([Case.Extensions], Autobahn's categories 12 and 13) have it checked as
// a client must and, once agreed, the session inflates what the peer
// sends and compresses what the case asks it to ([Session.SendCompressed]).
// The cases themselves live in the catalogue,
// package [github.com/wskit/wskit/conformance/autobahn]; the reports in
// [github.com/wskit/wskit/conformance/report].
//
// [Run] runs cases against a [Target] (a ws:// or wss:// URL), in
// parallel, each on its own connection, with the runner as the client.
// The session itself takes the runner's role as a parameter (it masks and
// expects masking, and closes TCP, as that role must), so that the same
// engine can run cases with the runner as the server. Every frame the peer
// sends is read by the codec's own decoder (package codec), which finds
// every protocol violation; the engine has no frame parser of its own.
//
// A [Result] records everything Autobahn records about a case (events,
// close flags and codes, the opening handshake, the wire log, statistics)
// and its two verdicts: Behavior (OK, NON-STRICT, FAILED, INFORMATIONAL,
// UNIMPLEMENTED) and BehaviorClose (OK, FAILED, WRONG CODE, UNCLEAN,
// FAILED BY CLIENT, INFORMATIONAL). A [Policy] says which verdicts fail a
// run: by default FAILED, and the close behaviours that break a MUST.
package conformance
