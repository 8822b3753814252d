package org.berth.agent;

import java.io.IOException;

import org.berth.core.wire.Api;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of every request, WebSocket upgrades included: who asks (SO_PEERCRED) and whether that one may.
 * A refusal is a 403 with the sentence that names the group, and goes into the audit log.
 */
final class Gate extends Handler.Wrapper {

	static final String PEER = "org.berth.agent.peer";

	private final Peers peers;
	private final Audit audit;

	Gate(Peers peers, Audit audit, Handler next) {
		super(next);
		this.peers = peers;
		this.audit = audit;
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		Peer peer = peer(request);
		String what = request.getMethod() + " " + request.getHttpURI().getPath();
		if (peer == null) {
			ApiHandler.send(response, callback, 403,
					Api.ErrorBody.of("The agent cannot tell who is asking, so it does not answer.", "Forbidden"));
			return true;
		}
		if (!peer.allowed()) {
			String sentence = peer.refusal(peers.group());
			audit.record(peer, what, "refused", ApiHandler.containerOf(request.getHttpURI().getPath()), 403,
					sentence);
			ApiHandler.send(response, callback, 403, Api.ErrorBody.of(sentence, "Forbidden"));
			return true;
		}
		request.setAttribute(PEER, peer);
		return super.handle(request, response, callback);
	}

	/** The peer of the request's connection (asked for each request: group changes count at once). */
	private Peer peer(Request request) {
		EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
		if (!(endPoint instanceof SocketChannelEndPoint channelEndPoint)) {
			return null;
		}
		try {
			return peers.of(channelEndPoint.getChannel());
		} catch (IOException | RuntimeException e) {
			return null;
		}
	}
}
