package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"skillcert/wechat/fake"
)

func TestFakeWeChatCommand(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() { done <- run(ctx, []string{"fake-wechat", "--addr", addr}, nil, &out, &out) }()

	url := "http://" + addr + fake.PathCode2Session + "?appid=" + fake.DefaultMPAppID + "&secret=" +
		fake.DefaultMPSecret + "&js_code=dev-alice&grant_type=authorization_code"
	var got struct {
		OpenID string `json:"openid"`
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		res, err := http.Get(url)
		if err == nil {
			err = json.NewDecoder(res.Body).Decode(&got)
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("fake-wechat did not start: %v\n%s", err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if got.OpenID != fake.DevOpenID(fake.DefaultMPAppID, "alice") {
		t.Fatalf("dev code: openid %q", got.OpenID)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fake-wechat did not stop")
	}
}
