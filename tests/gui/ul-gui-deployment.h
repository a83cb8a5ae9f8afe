/* ul-gui-deployment.h — the deployment e-mail cases of the dashboard suite: the e-mail
 * server dialog, Send Deployment Emails, live delivery states, Resend, a relay outage and
 * registrations, against the suite's uplinkd and a real SMTP server (tests/mail/smtp-sink.py,
 * aiosmtpd) on a free loopback port. They run inside test-dashboard's ordered suite, on
 * its window and its onboarded standalone gateway. */
#pragma once

#include "ul-gui-test.h"
#include "ul-window.h"

G_BEGIN_DECLS

typedef struct
{
  UlWindow      *window;
  UlGuiGateway **gateway;   /* the standalone gateway, once a case before has started it */
} UlGuiDeploymentContext;

/* Adds the cases as /uplink/gui/<prefix><letter>-…, in order, at this point of the suite;
 * they expect the Deployment step of the standalone customer on show. */
void ul_gui_deployment_add_tests (const char *prefix, UlGuiDeploymentContext *context);
/* Stops the SMTP server. */
void ul_gui_deployment_cleanup (void);

G_END_DECLS
