package org.berth.ui.terminal.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.berth.core.ContainerEngine;
import org.berth.core.TerminalRequest;
import org.berth.core.TerminalSession;
import org.eclipse.swt.widgets.Display;
import org.eclipse.tm.internal.terminal.connector.TerminalConnector;
import org.eclipse.tm.internal.terminal.provisional.api.ITerminalConnector;
import org.eclipse.tm.internal.terminal.provisional.api.ITerminalControl;
import org.eclipse.tm.internal.terminal.provisional.api.TerminalState;
import org.eclipse.tm.internal.terminal.provisional.api.provider.TerminalConnectorImpl;

/**
 * Connects the TM Terminal widget to a {@link TerminalSession} of the engine. The session is opened with the
 * widget's size (known once the widget has been laid out, before {@link #connect}), so the shell's first prompt
 * already fits; every later size of the widget is forwarded. All engine calls run on this connector's own threads,
 * never on the UI thread: keystrokes and resizes in order on one, the output pump on another.
 */
public final class SessionConnector extends TerminalConnectorImpl {

	/** What the tab shows about the session. */
	public interface Observer {
		/** The session runs (on a connector thread). */
		void opened(TerminalSession session);

		/** The session could not be opened (on a connector thread). */
		void failed(Throwable why);

		/** The session ended with this status (on a connector thread). */
		void ended(int status);
	}

	private final ContainerEngine engine;
	private final String container;
	private final TerminalRequest request;
	private final Observer observer;
	private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "berth-terminal-io");
		t.setDaemon(true);
		return t;
	});
	private volatile int columns;
	private volatile int rows;
	private volatile TerminalSession session;
	private volatile boolean disconnected;

	private SessionConnector(ContainerEngine engine, String container, TerminalRequest request, Observer observer) {
		this.engine = engine;
		this.container = container;
		this.request = request;
		this.observer = observer;
	}

	/** The connector for the widget, wrapping ours as TM expects. */
	public static ITerminalConnector create(ContainerEngine engine, String container, TerminalRequest request,
			Observer observer, Consumer<SessionConnector> created) {
		return new TerminalConnector(() -> {
			SessionConnector c = new SessionConnector(engine, container, request, observer);
			created.accept(c);
			return c;
		}, "org.berth.ui.terminal.session", container, true);
	}

	@Override
	public void connect(ITerminalControl control) {
		super.connect(control);
		control.setState(TerminalState.CONNECTING);
		int c = columns > 0 ? columns : request.columns();
		int r = rows > 0 ? rows : request.rows();
		TerminalRequest sized = new TerminalRequest(request.command(), c, r, request.term(), request.namespaces(),
				request.chroot(), request.env(), request.console());
		CompletableFuture<TerminalSession> opening;
		try {
			opening = engine.openTerminal(container, sized);
		} catch (RuntimeException e) {
			opening = CompletableFuture.failedFuture(e);
		}
		Display display = Display.getCurrent(); // connect runs on the UI thread, in TM's wait for the state
		opening.whenComplete((s, failure) -> {
			if (failure != null) {
				Throwable why = failure instanceof CompletionException && failure.getCause() != null
						? failure.getCause() : failure;
				observer.failed(why);
				inUi(display, () -> {
					control.displayTextInTerminal(message(why));
					control.setState(TerminalState.CLOSED);
				});
				return;
			}
			if (disconnected) {
				s.close();
				return;
			}
			session = s;
			observer.opened(s);
			if (columns > 0 && (columns != c || rows != r)) {
				resizeLater(columns, rows); // the widget changed while the shell started
			}
			inUi(display, () -> {
				control.setState(TerminalState.CONNECTED);
				Thread pump = new Thread(() -> pump(s, control), "berth-terminal-output " + container);
				pump.setDaemon(true);
				pump.start();
			});
			s.onExit().thenAccept(status -> {
				observer.ended(status);
				inUi(display, () -> control.setState(TerminalState.CLOSED));
			});
		});
	}

	/** The sentence of a failure (engine failures are sentences already). */
	static String message(Throwable why) {
		String m = why.getMessage();
		return m == null || m.isBlank() ? why.getClass().getSimpleName() : m;
	}

	/** TM's wait for the connection sleeps in the event loop: a state change must come through it (and wake it). */
	private static void inUi(Display display, Runnable r) {
		if (display != null && !display.isDisposed()) {
			display.asyncExec(r);
		} else {
			r.run();
		}
	}

	private static void pump(TerminalSession s, ITerminalControl control) {
		byte[] buffer = new byte[32 * 1024];
		OutputStream screen = control.getRemoteToTerminalOutputStream();
		try (InputStream in = s.output()) {
			int n;
			while ((n = in.read(buffer)) >= 0) {
				screen.write(buffer, 0, n);
				screen.flush();
			}
		} catch (IOException e) {
			// the session is over; the tab says so
		}
	}

	/** The widget's size in character cells, whenever it changes (from the UI thread). */
	@Override
	public void setTerminalSize(int newColumns, int newRows) {
		if (newColumns < 1 || newRows < 1 || newColumns == columns && newRows == rows) {
			return;
		}
		columns = newColumns;
		rows = newRows;
		if (session != null) {
			resizeLater(newColumns, newRows);
		}
	}

	private void resizeLater(int c, int r) {
		later(() -> {
			TerminalSession s = session;
			if (s == null || c != columns || r != rows) {
				return; // a newer size follows
			}
			try {
				s.resize(c, r);
			} catch (IOException e) {
				// the session has just ended
			}
		});
	}

	/** The size last sent by the widget. */
	public int columns() {
		return columns;
	}

	public int rows() {
		return rows;
	}

	/** Keystrokes and pastes, written to the session in order on the connector's thread. */
	@Override
	public OutputStream getTerminalToRemoteStream() {
		return new OutputStream() {
			@Override
			public void write(int b) {
				write(new byte[]{(byte) b}, 0, 1);
			}

			@Override
			public void write(byte[] b, int off, int len) {
				byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
				later(() -> {
					TerminalSession s = session;
					if (s == null) {
						return;
					}
					try {
						s.input().write(copy);
						s.input().flush();
					} catch (IOException e) {
						// typed after the end: nowhere to go
					}
				});
			}
		};
	}

	@Override
	protected void doDisconnect() {
		disconnected = true;
		TerminalSession s = session;
		later(() -> {
			if (s != null) {
				s.close(); // SIGHUP to the shell
			}
		});
		io.shutdown();
	}

	/** Runs {@code r} on the connector's thread, in order; nothing after the disconnect. */
	private void later(Runnable r) {
		try {
			io.execute(r);
		} catch (java.util.concurrent.RejectedExecutionException e) {
			// disconnected: the session is being closed
		}
	}

	@Override
	public String getSettingsSummary() {
		return container;
	}
}
