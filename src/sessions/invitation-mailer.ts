import os from 'node:os';
import { createTransport, type Transporter } from 'nodemailer';

/** Sends invitation links by e-mail through the configured SMTP server. */
export class InvitationMailer {
  readonly #transport: Transporter;
  readonly #from = `Orrery <orrery@${os.hostname()}>`;

  constructor(smtpUrl: string) {
    this.#transport = createTransport(smtpUrl);
  }

  async send(to: string, link: string): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to,
      subject: 'You are invited to an Orrery organization',
      text: `You have been invited to an organization on Orrery.\n\nOpen this link to choose a password and sign in (it works once):\n\n${link}\n`,
    });
  }
}
