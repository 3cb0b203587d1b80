import { Module } from '@nestjs/common';
import { ClaimThreadController } from './claim-thread.controller';
import { SessionController } from './session.controller';
import { WebAppController } from './web-app.controller';

/** The web app's own routes: who am I, claim threads, and the built app itself (last: its catch-all route). */
@Module({ controllers: [SessionController, ClaimThreadController, WebAppController] })
export class WebAppModule {}
