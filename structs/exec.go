package structs

// The frames of alloc exec's websocket (GET
// /v1/client/allocation/<id>/exec), as Nomad's API defines them: the
// caller sends ExecStreamingInput frames, the agent ExecStreamingOutput
// frames, each one JSON text message. Byte slices are base64 in JSON.

// ExecStreamingIOOperation is data on a stream, or its close.
type ExecStreamingIOOperation struct {
	Data  []byte `json:"data,omitempty"`
	Close bool   `json:"close,omitempty"`
}

// TerminalSize is a terminal's size in characters.
type TerminalSize struct {
	Height int `json:"height,omitempty"`
	Width  int `json:"width,omitempty"`
}

// ExecStreamingInput is one frame from the caller: stdin data, the end of
// stdin, or a terminal resize. A frame with neither is a heartbeat.
type ExecStreamingInput struct {
	Stdin   *ExecStreamingIOOperation `json:"stdin,omitempty"`
	TTYSize *TerminalSize             `json:"tty_size,omitempty"`
}

// ExecStreamingExitResult is the command's exit.
type ExecStreamingExitResult struct {
	ExitCode int `json:"exit_code"`
}

// ExecStreamingOutput is one frame from the agent: stdout or stderr data,
// or the command's exit (Exited with Result), which is the last frame.
type ExecStreamingOutput struct {
	Stdout *ExecStreamingIOOperation `json:"stdout,omitempty"`
	Stderr *ExecStreamingIOOperation `json:"stderr,omitempty"`

	Exited bool                     `json:"exited,omitempty"`
	Result *ExecStreamingExitResult `json:"result,omitempty"`
}
