package server

import (
	"context"
	"fmt"
	"os"

	"skillcert/core"
	"skillcert/notify"
)

// pushWorkers is an App's notification machinery: the message configuration,
// the dispatcher's metrics and, once started, the dispatcher.
type pushWorkers struct {
	tpl     *notify.Templates
	metrics *notify.Metrics
	d       *notify.Dispatcher
	idLock  *os.File // the lock on the data folder's dispatcher name, held while it runs
}

// newPush loads the message configuration and registers the metrics.
func (a *App) newPush() (*pushWorkers, error) {
	tpl, err := notify.LoadTemplates(a.Cfg.Notify.Templates)
	if err != nil {
		return nil, fmt.Errorf("SKILLCERT_NOTIFY_TEMPLATES: %w", err)
	}
	if a.DemoMode != nil {
		tpl = demoTemplates(tpl)
	}
	return &pushWorkers{tpl: tpl, metrics: notify.NewMetrics(a.Registry(), a.DB, tpl)}, nil
}

// notifySettings is what core needs of the message configuration.
func (p *pushWorkers) notifySettings() core.NotifySettings {
	return core.NotifySettings{SubscribeTemplates: p.tpl.SubscribeTemplates()}
}

// startPush runs the exam reminder scheduler and, when WeChat is configured and
// SKILLCERT_PUSH_ENABLED, the outbox dispatcher, until ctx ends; Shutdown waits
// for them (the dispatcher records the sends in flight before the database
// closes).
func (a *App) startPush(ctx context.Context) {
	cfg := a.Cfg.Notify
	wake := func() {}
	if a.WeChat != nil && cfg.Enabled {
		tpl := a.push.tpl.Only(a.Cfg.WeChat.MPAppID != "", a.Cfg.WeChat.OAAppID != "")
		a.push.d = notify.New(notify.Deps{DB: a.DB, Sender: a.WeChat, Templates: tpl,
			Metrics: a.push.metrics, Log: a.Log, Now: a.Core.Now}, notify.Config{
			Workers: cfg.Workers, PollInterval: cfg.Poll, Lease: cfg.Lease, MaxTries: cfg.MaxTries,
			RetryBase: cfg.RetryBase, RetryMax: cfg.RetryMax, Rate: a.Cfg.PushRate, MiniAppID: a.Cfg.WeChat.MPAppID,
			ID: a.dispatcherID(),
		})
		a.push.d.Start(ctx)
		wake = a.push.d.Wake
	} else {
		a.Log.Warn("the notification dispatcher is not running (WeChat not configured, or SKILLCERT_PUSH_ENABLED=false): events wait in the outbox")
	}
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		notify.Reminders{Source: a.Core, Every: cfg.ReminderAt, Log: a.Log, Wake: wake}.Run(ctx)
		if a.push.d != nil {
			a.push.d.Shutdown()
		}
		if a.push.idLock != nil {
			a.push.idLock.Close()
		}
	}()
}
